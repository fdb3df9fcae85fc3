"""Human approval answers: what a person may reply when a run stops for approval.

A reply is a JSON object (``{"action": "approve"}``) or the words a person types at the
prompt (``approve``, ``revise shorter``): an action word, any case, then the text of the
field that word fills. Anything else is refused with the valid choices, and an empty
reply is never taken for consent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args

from langgraph.types import interrupt
from pydantic import BaseModel, Field, ValidationError

from agents.plans import PlannedTask
from tools.kernel.errors import InputError, validation_problems
from tools.kernel.spelling import closest


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
    "Reply approve, reject [reason], or edit followed by the tasks as JSON (or JSON: "
    '{"action": "approve"}, {"action": "edit", "tasks": [{"id": 1, "query": "...", '
    '"dependency": []}, ...]} or {"action": "reject", "reason": "..."}).'
)
DRAFT_HOW = (
    'Reply approve, or revise followed by what to change (or JSON: {"action": "approve"} '
    'or {"action": "revise", "notes": "what to change"}).'
)
PLAN_WORDS: dict[str, str | None] = {"approve": None, "reject": "reason", "edit": "tasks"}
DRAFT_WORDS: dict[str, str | None] = {"approve": None, "revise": "notes"}
JSON_FIELDS = frozenset({"tasks"})
"""Fields whose typed text is JSON (``edit [{"id": 1, ...}]``)."""


Answer = TypeVar("Answer", bound=BaseModel)


class UnreadableJson(ValueError):
    """The text typed for a JSON field (``edit [{"id": 1, ...``) that is not JSON."""

    def __init__(self, field: str, error: json.JSONDecodeError) -> None:
        """Say which field, and where its JSON breaks."""
        super().__init__(
            f"{field}: not valid JSON: {error.msg} at character {error.pos + 1} of the {field}"
        )


def _field_value(field: str, text: str) -> Any:
    if field not in JSON_FIELDS:
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableJson(field, error) from None


def typed_reply(raw: Any, words: Mapping[str, str | None]) -> Any:
    """A reply as an answer object: typed words read by ``words``, JSON objects as they are.

    ``words`` maps each action word to the field the text after it fills (None: the word
    stands alone). The action word's case and the spaces around it do not matter; a reply
    that is none of these is passed on as its own action, for validation to refuse.
    """
    if isinstance(raw, Mapping):
        action = raw.get("action")
        return {**raw, "action": action.strip().lower()} if isinstance(action, str) else raw
    if not isinstance(raw, str):
        return raw
    parts = raw.split(maxsplit=1)
    action = parts[0].lower() if parts else ""
    rest = parts[1].strip() if len(parts) > 1 else ""
    if action not in words or (rest and words[action] is None):
        return {"action": raw.strip()}
    field = words[action]
    if field and rest:
        return {"action": action, field: _field_value(field, rest)}
    return {"action": action}


def read_answer(raw: Any, schema: type[Answer], how: str, shape: Callable[[Any], Any]) -> Answer:
    """Validate a resume value (``shape`` reads typed replies); says it back if it is bad."""
    try:
        return schema.model_validate(shape(raw))
    except UnreadableJson as error:
        problems, meant = str(error), ""
    except ValidationError as error:
        problems = validation_problems(error, "answer")
        meant = _closest_action(raw, schema)
    given = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    raise InputError(f"The answer {given!r} cannot be used ({problems}).{meant} {how}")


def _closest_action(raw: Any, schema: type[BaseModel]) -> str:
    """A hint (" Did you mean approve?") for a typed reply whose first word is a misspelt action."""
    field = schema.model_fields.get("action")
    words = [str(word) for word in get_args(field.annotation)] if field else []
    typed = raw.split(maxsplit=1) if isinstance(raw, str) else []
    if not words or not typed or typed[0].lower() in words:
        return ""
    close = closest(typed[0].lower(), words)
    return f" Did you mean {close}?" if close else ""


def ask_until_valid(
    payload: dict[str, Any], schema: type[Answer], how: str, shape: Callable[[Any], Any]
) -> Answer:
    """``interrupt`` with ``payload`` until the answer validates; each bad one is said back."""
    raw = interrupt(payload)
    while True:
        try:
            return read_answer(raw, schema, how, shape)
        except InputError as error:
            raw = interrupt({**payload, "error": str(error)})


def plan_reply(raw: Any) -> Any:
    """A reply to a plan approval as a :class:`PlanAnswer` object."""
    return typed_reply(raw, PLAN_WORDS)


def draft_reply(raw: Any) -> Any:
    """A reply to a draft approval as a :class:`DraftAnswer` object."""
    return typed_reply(raw, DRAFT_WORDS)
