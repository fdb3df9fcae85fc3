"""The end of a ticket: the customer's rating, an escalation when one is due, the ticket closed.

An escalation is opened (once per ticket) when the request is out of scope (triaged
``other``), when failures repeat (failed actions and unusable decisions, as many as the
policy's ``escalate_after_failures``), when the resolution proposed one, or when the
customer rates the reply at or below ``escalate_at_rating``. The reply says so.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.approval import ask_until_valid
from agents.support.answers import FEEDBACK_HOW, FeedbackAnswer, rating_reply
from agents.support.reply import compose_reply, message_to_send
from graphs.support.desk import SupportCrew, database_path, run_context
from graphs.support.settings import SPECIALISTS, SupportSettings
from graphs.support.state import Escalation, SupportState
from tools.support_db.database import connected
from tools.support_db.policy import PolicyNumbers
from tools.support_db.tickets import close_ticket
from tools.support_db.tickets import escalate as open_escalation


def failures(state: SupportState) -> list[str]:
    """What went wrong in the run: failed actions and decisions that fell back."""
    found = [
        f"action {a['action']} failed"
        for a in state.get("actions") or []
        if a["status"] == "failed"
    ]
    if state.get("triage_fallback"):
        found.append("no usable triage")
    if state.get("resolution_fallback"):
        found.append("no usable proposal")
    records = state.get("findings") or {}
    found += [
        f"no usable {role} findings"
        for role in SPECIALISTS
        if role in records and records[role]["fallback"]
    ]
    return found


def escalation_due(state: SupportState, *, after_reply: bool = False) -> tuple[str, str] | None:
    """``(rule, reason)`` of the escalation the ticket needs now, or None."""
    if state.get("escalation"):
        return None
    numbers = PolicyNumbers.model_validate(state["policy"])
    rating = state.get("rating")
    if after_reply:
        if rating is not None and rating <= numbers.escalate_at_rating:
            return "low_rating", f"the customer rated the reply {rating} out of 5"
        return None
    if (state.get("triage") or {}).get("category") == "other":
        return "out_of_scope", "the request is outside what the help desk handles"
    found = failures(state)
    if len(found) >= numbers.escalate_after_failures:
        return "repeated_failure", "; ".join(found)
    return None


def route_after_execute(state: SupportState) -> Literal["escalate", "writer"]:
    """To a person first if the ticket needs one, else to the reply."""
    return "escalate" if escalation_due(state) else "writer"


def escalate(state: SupportState) -> dict[str, Any]:
    """Open the ticket's escalation for a person (one row, audited); the reply says so."""
    due = escalation_due(state, after_reply=bool(state.get("reply")))
    if due is None:
        return {}
    rule, reason = due
    path = database_path(state)
    with connected(path) as connection:
        identity = open_escalation(connection, path, run_context(state), rule, reason)
    escalation = Escalation(id=identity, reason=reason, rule=rule)
    update: dict[str, Any] = {"escalation": escalation}
    if state.get("reply"):
        draft = message_to_send(state["drafts"])
        update["reply"] = compose_reply(draft, state.get("actions") or [], escalation)
    return update


def route_after_escalate(state: SupportState) -> Literal["writer", "finish"]:
    """The reply next if there is none yet, else the end."""
    return "finish" if state.get("reply") else "writer"


def feedback(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """The reply as sent, and the customer's rating (the setting, else asked with ``interrupt``)."""
    draft = message_to_send(state["drafts"])
    reply = compose_reply(draft, state.get("actions") or [], state.get("escalation"))
    rating = crew.settings(runtime).feedback
    if rating is None:
        payload = {
            "kind": "feedback",
            "customer_id": state["customer_id"],
            "reply": reply,
            "how": FEEDBACK_HOW,
            "answer_example": "4",
        }
        rating = ask_until_valid(payload, FeedbackAnswer, FEEDBACK_HOW, rating_reply).rating
    return {"reply": reply, "rating": rating}


def route_after_feedback(state: SupportState) -> Literal["escalate", "finish"]:
    """To a person when the customer is unhappy with the reply, else the end."""
    return "escalate" if escalation_due(state, after_reply=True) else "finish"


def finish(state: SupportState) -> dict[str, Any]:
    """Close the ticket's row: replied or escalated, with the reply and the rating."""
    status = "escalated" if state.get("escalation") else "replied"
    path = database_path(state)
    with connected(path) as connection:
        close_ticket(
            connection, path, state["ticket_id"], status, state["reply"], state.get("rating")
        )
    return {"stop_reason": status}
