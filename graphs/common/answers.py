"""Teams that answer with citations: how they are asked, read and reported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.spec import TeamResult, run_outcome


def question_input(request: str, material: str = "") -> dict[str, Any]:
    """A request (and what is known so far) as a question."""
    question = f"{request}\n\nWhat is known so far:\n{material}" if material else request
    return {"question": question}


def answer_result(state: Mapping[str, Any]) -> TeamResult:
    """The answer and the sources it cites."""
    return TeamResult(
        text=str(state.get("answer") or ""),
        citations=list(state.get("citations") or []),
        stop_reason=state.get("stop_reason"),
    )


REQUEST = "request"
"""The input key of a team that takes requests (a team file's team)."""


def request_input(request: str, material: str = "") -> dict[str, Any]:
    """A request (with earlier work appended) as the input of a team that takes requests."""
    return {REQUEST: f"{request}\n\n{material}" if material else request}


def final_result(state: Mapping[str, Any]) -> TeamResult:
    """The final text of a team that takes requests, and the sources it cites."""
    return TeamResult(
        text=str(state.get("final") or ""),
        citations=list(state.get("citations") or []),
        stop_reason=state.get("stop_reason"),
    )


def answer_report(team: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """What every answering team's ``--json`` object holds."""
    return {
        "team": team,
        "question": state.get("question"),
        "answer": state.get("answer"),
        "citations": state.get("citations", []),
        "citations_dropped": state.get("citations_dropped", 0),
        "citations_moved": state.get("citations_moved", 0),
        **run_outcome(state),
    }
