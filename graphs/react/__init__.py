"""The ReAct team: one agent thinks, calls a tool, observes, repeats, then answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.answers import answer_report, answer_result, question_input
from graphs.common.spec import Routing, TeamSpec
from graphs.react import narration
from graphs.react.builder import build_graph, graph
from graphs.react.settings import DEFAULT_MAX_STEPS, ROLES, ReactSettings
from graphs.react.state import RESULT, STOP_WORDS, ReactInput, ReactState


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
    build_graph=build_graph,
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

__all__ = [
    "DEFAULT_MAX_STEPS",
    "ROLES",
    "SPEC",
    "ReactInput",
    "ReactSettings",
    "ReactState",
    "build_graph",
    "graph",
]
