"""The research team's result: the state key holding it, its best so far, its stop reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey

STOP_WORDS: dict[str, str] = {
    "direct": "answered at once",
    "sufficient": "the results answered the question",
    "max_replans": "the re-plan cap was reached",
    "no_new_tasks": "nothing was left to look up",
    "plan_rejected": "a person rejected the plan",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


def answer_so_far(state: Mapping[str, Any]) -> str:
    """The answer, else each finished task's query and result."""
    if state.get("answer"):
        return str(state["answer"])
    done = [r for r in (state.get("tasks") or {}).values() if r.get("status") == "done"]
    return "\n".join(f"{r['query']}: {r.get('result', '')}" for r in done)


RESULT = ResultKey("answer", answer_so_far)
"""The answer is the team's result."""
