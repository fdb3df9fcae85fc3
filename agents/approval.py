"""Human approval answers: what a person may reply when a run stops for approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from langgraph.types import interrupt
from pydantic import BaseModel, Field, ValidationError

from agents.plans import PlannedTask
from tools.kernel.errors import InputError


class PlanAnswer(BaseModel):
    """A reply to a plan approval: approve, edit the tasks, or reject."""

    action: Literal["approve", "edit", "reject"]
    tasks: list[PlannedTask] = Field(default_factory=list)
    reason: str = ""


class DraftAnswer(BaseModel):
    """A reply to a draft approval: approve, or send back with notes."""

    action: Literal["approve", "revise"]
    notes: str = ""


PLAN_HOW = (
    'Reply {"action": "approve"}, {"action": "edit", "tasks": [{"id": 1, "query": "...", '
    '"dependency": []}, ...]} or {"action": "reject", "reason": "..."}.'
)
DRAFT_HOW = 'Reply {"action": "approve"} or {"action": "revise", "notes": "what to change"}.'


Answer = TypeVar("Answer", bound=BaseModel)


def bare_word_as_action(raw: Any) -> Any:
    """A bare word such as "approve" as ``{"action": "approve"}``; anything else as it is."""
    return {"action": raw} if isinstance(raw, str) else raw


def read_answer(
    raw: Any,
    schema: type[Answer],
    how: str,
    shape: Callable[[Any], Any] = bare_word_as_action,
) -> Answer:
    """Validate a resume value (``shape`` turns short replies into objects); clear error if bad."""
    try:
        return schema.model_validate(shape(raw))
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors())
        raise InputError(f"That answer cannot be used ({problems}). {how}") from None


def ask_until_valid(
    payload: dict[str, Any],
    schema: type[Answer],
    how: str,
    shape: Callable[[Any], Any] = bare_word_as_action,
) -> Answer:
    """``interrupt`` with ``payload`` until the answer validates; each bad one is said back."""
    raw = interrupt(payload)
    while True:
        try:
            return read_answer(raw, schema, how, shape)
        except InputError as error:
            raw = interrupt({**payload, "error": str(error)})
