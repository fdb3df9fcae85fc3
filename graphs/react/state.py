"""The ReAct team's state: the question, the steps so far, the sources, the answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from typing_extensions import TypedDict

from graphs.common.react_step import ToolLoopFields
from graphs.common.state import RunFields
from graphs.common.stops import ResultKey
from tools.citations import Citation

StopReason = Literal[
    "answered", "fallback", "max_steps", "repeated_action", "max_calls", "max_tokens_total"
]
STOP_WORDS: dict[str, str] = {
    "answered": "the agent answered",
    "fallback": "the agent's next step could not be read, so it answered from what it had",
    "max_steps": "the step cap was reached",
    "repeated_action": "the agent repeated a call",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


class ReactInput(TypedDict):
    """What a caller gives the team."""

    question: str
    """The question to answer."""


class ReactState(RunFields, ToolLoopFields, total=False):
    """Everything the agent loop reads and writes.

    Once the question is answered, ``sources`` are numbered with the cited first.
    """

    question: str
    """The question to answer."""
    answer: str
    """The final answer."""
    citations: list[Citation]
    """The sources the answer cites, numbered 1..k as its ``[n]`` markers are."""
    citations_dropped: int
    """Markers the model wrote that referred to no source (removed from the answer)."""
    stop_reason: StopReason | None
    """Which rule ended the run."""


def answer_so_far(state: Mapping[str, Any]) -> str:
    """The answer, if the agent has written one."""
    return str(state.get("answer") or "")


RESULT = ResultKey("answer", answer_so_far)
"""The answer is the team's result."""
