"""The writer team's spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.spec import Routing, TeamResult, TeamSpec, lazy_build_graph, run_outcome
from graphs.writer import narration
from graphs.writer.result import RESULT, STOP_WORDS
from graphs.writer.settings import ROLES, WriterSettings


def make_input(request: str, material: str = "") -> dict[str, Any]:
    """A request (and earlier work to build on) as the team's input."""
    return {"topic": request, "material": material}


def read_result(state: Mapping[str, Any]) -> TeamResult:
    """The finished piece (no citations of its own)."""
    return TeamResult(
        text=str(state.get("final_text") or ""), citations=[], stop_reason=state.get("stop_reason")
    )


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a writer run."""
    return {
        "topic": state.get("topic"),
        "text": state.get("final_text"),
        "plan": state.get("plan"),
        "drafts": state.get("drafts", []),
        "critiques": state.get("critiques", []),
        "reviews": state.get("reviews", []),
        "revisions": state.get("revisions", 0),
        "manager_returns": state.get("manager_returns", 0),
        **run_outcome(state),
    }


SPEC = TeamSpec(
    name="writer",
    description="Manager plans, Writer drafts, Critic reviews until approved or capped, "
    "Manager judges the whole.",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.writer"),
    settings=WriterSettings,
    make_input=make_input,
    read_result=read_result,
    report=report,
    request_key="topic",
    result=RESULT,
    stop_words=STOP_WORDS,
    text_nodes=("writer",),
    view=narration.view,
    approval="approve_draft",
    routing=Routing(
        "writes a piece (report, essay, post) and can build on another team's result, "
        "e.g. research then writer for a report about facts"
    ),
)
