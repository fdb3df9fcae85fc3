"""The react team's result: the state key holding it, its best so far, its stop reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey

STOP_WORDS: dict[str, str] = {
    "answered": "the agent answered",
    "fallback": "the agent's next step could not be read, so it answered from what it had",
    "max_steps": "the step cap was reached",
    "repeated_action": "the agent repeated a call",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


def answer_so_far(state: Mapping[str, Any]) -> str:
    """The answer, if the agent has written one."""
    return str(state.get("answer") or "")


RESULT = ResultKey("answer", answer_so_far)
"""The answer is the team's result."""
