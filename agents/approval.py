"""Human approval answers: what a person may reply when a run stops for approval."""

from __future__ import annotations

from typing import Any, Literal

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


def read_answer(raw: Any, schema: type[PlanAnswer] | type[DraftAnswer], how: str) -> Any:
    """Validate a resume value (a dict, or a bare word like "approve"); clear error if bad."""
    value = {"action": raw} if isinstance(raw, str) else raw
    try:
        return schema.model_validate(value)
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors())
        raise InputError(f"That approval answer cannot be used ({problems}). {how}") from None


def ask_until_valid(
    payload: dict[str, Any], schema: type[PlanAnswer] | type[DraftAnswer], how: str
) -> Any:
    """``interrupt`` with ``payload`` until the answer validates; each bad one is said back."""
    raw = interrupt(payload)
    while True:
        try:
            return read_answer(raw, schema, how)
        except InputError as error:
            raw = interrupt({**payload, "error": str(error)})
