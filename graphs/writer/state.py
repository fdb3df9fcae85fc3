"""The writer team's state, its input, and the records of critiques and reviews."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

from graphs.common.reflection import ReflectionFields
from graphs.common.state import RunFields

StopReason = Literal[
    "approved",
    "max_revisions",
    "manager_return_limit",
    "human_approved",
    "human_revised",
    "max_calls",
    "max_tokens_total",
]


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
    person_revision: bool
    """True while the Writer's next draft answers a person's notes (it goes back to them)."""
    person_notes: list[str]
    """What a person asked for when sending the piece back, in order (binding on every
    later draft)."""
