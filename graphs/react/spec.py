"""The react team's spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.answers import answer_report, answer_result, question_input
from graphs.common.spec import Routing, TeamSpec, lazy_build_graph
from graphs.react import narration
from graphs.react.result import RESULT, STOP_WORDS
from graphs.react.settings import ROLES, ReactSettings


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a ReAct run."""
    return {
        **answer_report("react", state),
        "sources": state.get("sources", []),
        "tool_calls": [
            {"tool": call["name"], "input": call["args"]}
            for message in state.get("messages", [])
            for call in getattr(message, "tool_calls", [])
        ],
        "steps": state.get("steps", 0),
    }


SPEC = TeamSpec(
    name="react",
    description="One agent thinks, calls a tool, observes and repeats, then answers with "
    "numbered citations.",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.react"),
    settings=ReactSettings,
    make_input=question_input,
    read_result=answer_result,
    report=report,
    request_key="question",
    result=RESULT,
    stop_words=STOP_WORDS,
    text_nodes=("answer",),
    view=narration.view,
    uses_tools=True,
    needs_a_tool=True,
    routing=Routing("answers quick questions with one or two tool calls (a calculation, a lookup)"),
)
