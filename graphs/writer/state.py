"""The writer team's state, its input, and the records of critiques and reviews."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

from graphs.common.reflection import ReflectionFields
from graphs.common.state import RunFields
from graphs.common.stops import ResultKey

StopReason = Literal[
    "approved",
    "max_revisions",
    "manager_return_limit",
    "human_approved",
    "max_calls",
    "max_tokens_total",
]
STOP_WORDS: dict[str, str] = {
    "approved": "approved by the Critic and the Manager",
    "max_revisions": "the revision cap was reached",
    "manager_return_limit": "the Manager sent it back as often as allowed",
    "human_approved": "approved by a person",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


class ReviewRecord(TypedDict):
    """One judgement of the Manager on the finished piece."""

    draft: int
    accept: bool
    instructions: str
    fallback: bool


class WriterInput(TypedDict, total=False):
    """What a caller gives the team (``topic`` is required)."""

    topic: str
    """The subject of the piece."""
    material: str
    """Facts to build on, e.g. a research answer with its numbered citations."""


class WriterState(RunFields, ReflectionFields, total=False):
    """Everything the team's nodes read and write."""

    topic: str
    """The subject of the piece."""
    material: str
    """Facts to build on (may be empty)."""
    plan: dict[str, Any]
    """The Manager's brief: audience, outline and key points."""
    plan_fallback: bool
    """True if the Manager's plan never validated and the fallback plan was used."""
    reviews: Annotated[list[ReviewRecord], operator.add]
    """Every judgement of the Manager, in order."""
    manager_returns: int
    """Times the Manager has sent the piece back."""
    manager_instructions: str
    """The Manager's pending instructions for the Writer ("" when none)."""
    final_text: str
    """The finished piece."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
    human_revisions: int
    """Times a person sent the piece back at the approval step."""


def piece_so_far(state: Mapping[str, Any]) -> str:
    """The finished piece, else the latest draft."""
    drafts = state.get("drafts") or []
    return str(state.get("final_text") or (drafts[-1] if drafts else ""))


RESULT = ResultKey("final_text", piece_so_far)
"""The piece is the team's result."""
