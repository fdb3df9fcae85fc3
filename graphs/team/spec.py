"""The team of teams' spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agents.llm.pricing import usage_table
from graphs.common.answers import final_result, request_input
from graphs.common.spec import TeamSpec, lazy_build_graph
from graphs.team import narration
from graphs.team.result import RESULT
from graphs.team.roster import members
from graphs.team.settings import ROLES, TeamSettings


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a run of the team of teams."""
    return {
        "request": state.get("request"),
        "route": state.get("route"),
        "result": state.get("final"),
        "stopped_by": (state.get("budget_stop") or {}).get("limit"),
        "citations": state.get("citations", []),
        "citations_dropped": state.get("citations_dropped", 0),
        "citations_moved": state.get("citations_moved", 0),
        "outputs": state.get("outputs", []),
        "fallbacks": state.get("fallbacks", []),
        "usage": usage_table(state.get("usage") or {}, state.get("models") or {}),
    }


SPEC = TeamSpec(
    name="team",
    description="The Manager routes a request to the teams it needs, or chains them "
    "(e.g. research then writer).",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.team"),
    settings=TeamSettings,
    make_input=request_input,
    read_result=final_result,
    report=report,
    request_key="request",
    result=RESULT,
    members=members,
    view=narration.view,
    uses_tools=True,
    studio_path="./graphs/team/studio.py:make_graph",
)
