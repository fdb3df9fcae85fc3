"""The manager of a supervisor team: which role works next, on what, or finish.

The roles it may choose are given with each call, so its decision is validated against
their names only: ``{"reason", "next": <role> | "finish", "instruction", "answer_from"}``.
``finish`` is a choice only once some role has worked, and ``answer_from`` names a role
that has (its latest work is the team's answer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide

FINISH = "finish"
WORK_CHARS = 600
"""Each piece of work is shown to the manager cut to this many characters."""


class NextRole(BaseModel):
    """The manager's decision: the next role and its instruction, or finish."""

    reason: str = Field(max_length=300, description="Why, in one sentence.")
    next: str = Field(description=f"The role that works next, or {FINISH} when the work is done.")
    instruction: str = Field(
        max_length=500, description="What that role should do now (empty when finishing)."
    )
    answer_from: str = Field(
        description="The role whose latest work answers the request (read when finishing)."
    )


PICK_SYSTEM = (
    "{persona}\n\nYou manage a team. Its roles: {roles}. Choose the role that works next "
    f"and tell it what to do, or choose {FINISH} once the work answers the request; name "
    "the role whose latest work is the answer."
)
PICK_REQUEST = "Request: {request}\n\nWork so far:\n{work}\n\nTurns left: {left}"
FALLBACK_REASON = "No usable decision was returned: the next role in the team's order works."


def pick_schema(workers: Sequence[str], done: Sequence[str]) -> type[NextRole]:
    """:class:`NextRole` limited to ``workers`` (and ``finish`` once any of ``done`` worked)."""
    choices = (*workers, FINISH) if done else tuple(workers)
    answerers = tuple(done) or tuple(workers)
    next_type: Any = cast(Any, Literal).__getitem__(choices)
    answer_type: Any = cast(Any, Literal).__getitem__(answerers)
    return create_model(
        "NextRole",
        __base__=NextRole,
        next=(next_type, Field(description=f"The role that works next, or {FINISH}.")),
        answer_from=(answer_type, Field(description="The role whose latest work is the answer.")),
    )


def fallback_pick(workers: Sequence[str], turns: Sequence[str]) -> dict[str, str]:
    """The documented fallback: the role after the last one that worked, in the team's order.

    After the last role in the order, ``finish``; the answer is the last work done.
    """
    last = turns[-1] if turns else ""
    position = workers.index(last) + 1 if last in workers else 0
    following = workers[position] if position < len(workers) else FINISH
    return {
        "reason": FALLBACK_REASON,
        "next": following,
        "instruction": "",
        "answer_from": last or workers[0],
    }


def pick_next(
    caller: RoleCaller,
    persona: str,
    request: str,
    workers: Mapping[str, str],
    work: Sequence[tuple[str, str]],
    turns_left: int,
) -> Decision[NextRole]:
    """Ask the manager who works next; ``workers`` maps each role to what it does.

    ``work`` is every turn so far, ``(role, text)`` in order.
    """
    roles = "; ".join(f"'{name}' ({brief})" for name, brief in workers.items())
    shown = "\n".join(f"- {role}: {text[:WORK_CHARS]}" for role, text in work) or "(nothing yet)"
    messages = [
        SystemMessage(PICK_SYSTEM.format(persona=persona, roles=roles)),
        HumanMessage(PICK_REQUEST.format(request=request, work=shown, left=turns_left)),
    ]
    turns = [role for role, _ in work]
    schema = pick_schema(list(workers), list(dict.fromkeys(turns)))
    fallback = schema.model_validate(fallback_pick(list(workers), turns))
    return decide(caller, messages, schema, fallback=fallback)
