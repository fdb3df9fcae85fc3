"""What a person may answer when a support run stops: an approval of actions, a rating.

The typed answers (``approve``, ``reject not now``, ``4``, ``skip``) are accepted in any
case; anything else must be a JSON object as ``how`` says.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.approval import typed_reply


class ActionsAnswer(BaseModel):
    """A reply to an approval of actions: approve (all, or the ``ids`` given) or reject all."""

    action: Literal["approve", "reject"]
    ids: list[str] = Field(default_factory=list)
    """Approve only these action ids (the others are declined); empty: all of them."""
    reason: str = ""


class FeedbackAnswer(BaseModel):
    """The customer's rating of the reply, 1 (bad) to 5 (good), or none (not rated)."""

    rating: int | None = Field(default=None, ge=1, le=5)
    comment: str = ""


ACTIONS_HOW = (
    'Reply approve or reject [reason] (or JSON: {"action": "approve"}, {"action": "approve", '
    '"ids": ["A-..."]} (only those) or {"action": "reject", "reason": "..."}).'
)
ACTIONS_WORDS: dict[str, str | None] = {"approve": None, "reject": "reason"}
FEEDBACK_HOW = 'Reply a rating from 1 to 5, e.g. 4 or {"rating": 4, "comment": "..."}, or skip.'


def actions_reply(raw: Any) -> Any:
    """A reply to an approval of actions as an :class:`ActionsAnswer` object."""
    return typed_reply(raw, ACTIONS_WORDS)


def rating_reply(raw: Any) -> Any:
    """A bare rating (``4``, ``"4"``) or ``skip`` as a :class:`FeedbackAnswer` object."""
    if isinstance(raw, str) and raw.strip().lower() in ("skip", "none", ""):
        return {"rating": None}
    if isinstance(raw, str):
        return {"rating": raw.strip()}
    if isinstance(raw, int) and not isinstance(raw, bool):
        return {"rating": raw}
    return raw
