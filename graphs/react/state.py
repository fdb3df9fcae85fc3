"""The ReAct team's state: the question, the steps so far, the sources, the answer."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from graphs.common.react_step import ToolLoopFields
from graphs.common.state import RunFields
from tools.citations import Citation

StopReason = Literal[
    "answered", "fallback", "max_steps", "repeated_action", "max_calls", "max_tokens_total"
]


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
    citations_moved: int
    """Markers moved to the source that holds their sentence (the model cited another)."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
