"""The reflection loop teams share: a writer drafts, a critic reviews, the writer revises.

Drafts and critiques are kept in order in the team's state; the loop goes back to the
writer until the critic approves or ``max_revisions`` rewrites have been made. The critic
answers in the critic's wire format (:class:`agents.critic.Critique`).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any

from typing_extensions import TypedDict

from agents.critic import Critique
from agents.llm.structured import Decision


class CritiqueRecord(TypedDict):
    """One critique of one draft, and how it was obtained."""

    draft: int
    """Index into ``drafts`` of the draft reviewed."""
    approved: bool
    score: int
    feedback: str
    attempts: int
    """How many times the critic was asked before its reply validated."""
    fallback: bool
    """True if the reply never validated and the documented fallback was used."""


class ReflectionFields(TypedDict, total=False):
    """The part of a team's state the reflection loop writes."""

    drafts: Annotated[list[str], operator.add]
    """Every draft, first to last."""
    critiques: Annotated[list[CritiqueRecord], operator.add]
    """Every critique, in order."""
    revisions: int
    """Rewrites made on the critic's feedback so far."""


def next_draft(state: Mapping[str, Any]) -> tuple[str | None, str | None, dict[str, Any]]:
    """What the writer's next draft rewrites: ``(previous draft, feedback, state update)``.

    Nothing for a first draft; else the latest draft and the critic's feedback on it,
    counted as one more revision.
    """
    drafts = state.get("drafts") or []
    if not drafts:
        return None, None, {}
    feedback = state["critiques"][-1]["feedback"]
    return drafts[-1], feedback, {"revisions": state.get("revisions", 0) + 1}


def critique_record(state: Mapping[str, Any], decision: Decision[Critique]) -> CritiqueRecord:
    """The record of the critic's ``decision`` on the latest draft."""
    verdict = decision.value
    return CritiqueRecord(
        draft=len(state["drafts"]) - 1,
        approved=verdict.approved,
        score=verdict.score,
        feedback=verdict.feedback,
        attempts=decision.attempts,
        fallback=decision.fallback_used,
    )


def revise_again(state: Mapping[str, Any], max_revisions: int) -> bool:
    """Whether the writer rewrites once more: the critic sent it back, the cap allows it."""
    if state["critiques"][-1]["approved"]:
        return False
    return bool(state.get("revisions", 0) < max_revisions)
