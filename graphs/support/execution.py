"""A person approves the actions that need it; then every allowed action runs, once each."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.approval import ask_until_valid
from agents.support.answers import ACTIONS_HOW, ActionsAnswer, actions_reply
from graphs.support.desk import SupportCrew, database_path, run_context
from graphs.support.result import public
from graphs.support.settings import SupportSettings
from graphs.support.state import ActionRecord, Escalation, SupportState
from tools.support_db.actions import answer_approval, execute_action
from tools.support_db.database import connected
from tools.support_db.tickets import escalation_id

AUTO_APPROVED = "approved automatically (auto_approve)"


def _answers(
    state: SupportState, waiting: list[ActionRecord], auto_approve: bool
) -> dict[str, tuple[bool, str]]:
    """Action id -> (approved, why): automatic where allowed, else a person's answer."""
    answers = {
        a["id"]: (True, AUTO_APPROVED) for a in waiting if auto_approve and a["auto_approvable"]
    }
    left = [a for a in waiting if a["id"] not in answers]
    if not left:
        return answers
    payload = {
        "kind": "action_approval",
        "customer_id": state["customer_id"],
        "ticket": state["ticket"],
        "actions": [public(a) for a in left],
        "how": ACTIONS_HOW,
        "answer_example": "approve",
    }
    answer = ask_until_valid(payload, ActionsAnswer, ACTIONS_HOW, actions_reply)
    for action in left:
        approved = answer.action == "approve" and (not answer.ids or action["id"] in answer.ids)
        why = answer.reason.strip() or (
            "approved by a person" if approved else "declined by a person"
        )
        answers[action["id"]] = (approved, why)
    return answers


def approve_actions(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """Actions awaiting approval: approved (or declined) by a person, or by ``auto_approve``.

    Refunds over the cap are never approved automatically. Nothing is written before
    the person has answered, so the step can be asked again safely.
    """
    actions = [ActionRecord(**a) for a in state.get("actions") or []]
    waiting = [a for a in actions if a["status"] == "awaiting_approval"]
    if not waiting:
        return {}
    answers = _answers(state, waiting, crew.settings(runtime).auto_approve)
    path, context = database_path(state), run_context(state)
    with connected(path) as connection:
        for action in actions:
            if action["id"] in answers:
                approved, why = answers[action["id"]]
                row = answer_approval(connection, path, context, action["id"], approved, why)
                action["status"], action["rule"] = row["status"], row["rule"]
                action["reason"] = row["reason"]
    return {"actions": actions}


def execute(state: SupportState) -> dict[str, Any]:
    """Run every allowed or approved action, each in its own transaction, never twice."""
    actions = [ActionRecord(**a) for a in state.get("actions") or []]
    escalation = state.get("escalation")
    path, context = database_path(state), run_context(state)
    with connected(path) as connection:
        for action in actions:
            if action["status"] not in ("allowed", "approved"):
                continue
            status, why = execute_action(
                connection, path, context, action["id"], action["proposed_because"]
            )
            action["status"], action["reason"] = status, why
            if action["action"] == "escalate" and status == "done":
                escalation = Escalation(
                    id=escalation_id(context["ticket_id"]),
                    reason=str(action["args"].get("reason") or action["proposed_because"]),
                    rule="proposed_by_resolution",
                )
    return {"actions": actions, "escalation": escalation}
