"""What a person may answer when a support run stops: an approval of actions, a rating.

A bare word (``approve``, ``reject``) or a bare number (``4``) is accepted for the
common answers; anything else must be a JSON object as ``how`` says.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from langgraph.types import interrupt
from pydantic import BaseModel, Field, ValidationError

from tools.kernel.errors import InputError


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
    'Reply {"action": "approve"}, {"action": "approve", "ids": ["A-..."]} (only those) or '
    '{"action": "reject", "reason": "..."}.'
)
FEEDBACK_HOW = 'Reply a rating from 1 to 5, e.g. 4 or {"rating": 4, "comment": "..."}, or skip.'

Answer = TypeVar("Answer", ActionsAnswer, FeedbackAnswer)


def _as_object(raw: Any, schema: type[BaseModel]) -> Any:
    if schema is FeedbackAnswer:
        if isinstance(raw, str) and raw.strip().lower() in ("skip", "none", ""):
            return {"rating": None}
        if isinstance(raw, int | str) and not isinstance(raw, bool):
            return {"rating": raw}
        return raw
    return {"action": raw} if isinstance(raw, str) else raw


def read_answer(raw: Any, schema: type[Answer], how: str) -> Answer:
    """Validate a resume value; a clear error saying what to reply if it cannot be used."""
    try:
        return schema.model_validate(_as_object(raw, schema))
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors())
        raise InputError(f"That answer cannot be used ({problems}). {how}") from None


def ask_until_valid(payload: dict[str, Any], schema: type[Answer], how: str) -> Answer:
    """``interrupt`` with ``payload`` until the answer validates; each bad one is said back."""
    raw = interrupt(payload)
    while True:
        try:
            return read_answer(raw, schema, how)
        except InputError as error:
            raw = interrupt({**payload, "error": str(error)})
