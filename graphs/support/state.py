"""The support team's state, its input, and the records of findings, actions and critiques."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

from graphs.common.reflection import ReflectionFields
from graphs.common.state import RunFields

StopReason = Literal["replied", "escalated", "max_calls", "max_tokens_total"]
ActionStatus = Literal["allowed", "awaiting_approval", "approved", "denied", "done", "failed"]


class FindingsRecord(TypedDict):
    """What one specialist found, and which rows it read."""

    role: str
    summary: str
    problems: list[str]
    rows: list[str]
    """The database rows its tools returned (``table/key``)."""
    steps: int
    """Tool rounds it made."""
    fallback: bool
    """True if its findings never validated (or a failure stopped it) and the fallback was used."""
    error: str
    """Why it stopped early ("" if it did not)."""


class ActionRecord(TypedDict):
    """One proposed action: what, with which arguments, and what became of it."""

    id: str
    """Deterministic id (run, place, action, arguments): what keeps it from running twice."""
    action: str
    args: dict[str, Any]
    status: ActionStatus
    """``done``, ``denied``, ``awaiting_approval`` or ``failed`` once the run is over."""
    reason: str
    """Why it has this status (the rule's words, what was done, why it failed)."""
    rule: str
    """The policy rule that decided."""
    proposed_because: str
    """The resolution agent's reason for proposing it."""
    auto_approvable: bool
    """Whether ``auto_approve`` may approve it in place of a person."""


class RefusedProposal(TypedDict):
    """A reply of the resolution agent that was refused before the policy, and why."""

    reply: str
    error: str


class Escalation(TypedDict):
    """The case handed to a person: its row id, why, and which rule opened it."""

    id: str
    reason: str
    rule: str


def by_role(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer: each specialist writes its own entry (the two run in parallel)."""
    return {**(left or {}), **(right or {})}


class SupportInput(TypedDict):
    """What a caller gives the team (the customer is a setting, never the input's)."""

    ticket: str
    """The customer's message."""


class SupportState(RunFields, ReflectionFields, total=False):
    """Everything the team's nodes read and write (per-run fields reset by ``triage``)."""

    ticket: str
    """The customer's message."""
    customer_id: str
    """The customer of this run, fixed at triage from the settings."""
    db_path: str
    """The support database of this run (absolute), fixed at triage."""
    ticket_id: str
    """The ticket's row in the database (derived from the run)."""
    thread_id: str
    """The thread the run is kept on ("" without one)."""
    policy: dict[str, Any]
    """The policy's numbers this run follows (read once, at triage)."""
    triage: dict[str, Any]
    """Triage's ``{"category", "urgency", "sentiment", "summary"}``."""
    triage_fallback: bool
    """True if no triage validated and the fallback was used."""
    findings: Annotated[dict[str, FindingsRecord], by_role]
    """Role -> what that specialist found."""
    records: Annotated[dict[str, str], by_role]
    """Role -> what that specialist read (its observations), for the resolution agent."""
    proposal: list[dict[str, Any]]
    """The resolution agent's actions, as proposed (``none`` left out)."""
    resolution_fallback: bool
    """True if no proposal validated and the fallback (``none``) was used."""
    refused_proposals: list[RefusedProposal]
    """The resolution's replies refused for their form (an unknown action, a bad amount)."""
    actions: list[ActionRecord]
    """Every proposed action and what became of it, in order."""
    reply: str
    """The reply as sent: the message, the actions' outcomes, the escalation note."""
    rating: int | None
    """The customer's rating of the reply (None: not rated)."""
    escalation: Escalation | None
    """The escalation opened for this ticket, if any."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
