"""Actions on the database: each decision and each action is one transaction, keyed by its id.

An action's id is derived from the run, its place in the proposal, its name and its
arguments, so the same proposal redone after a crash has the same ids. The ``actions``
table holds each id once: an action already done (or refused, or failed) is reported as
it was and never run again, which is what makes a resume after ``kill -9`` safe. Every
decision and outcome also goes to the audit log, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Literal

from tools.support_db.audit import RunContext, audit_entries, canonical, now, write_audit
from tools.support_db.billing import refundable
from tools.support_db.database import transaction
from tools.support_db.records import CustomerRecords
from tools.support_db.tickets import insert_escalation

ActionStatus = Literal["allowed", "awaiting_approval", "approved", "denied", "done", "failed"]
FINAL_STATUSES = ("done", "denied", "failed")


class ActionFailed(Exception):
    """An action could not be carried out (the database changed since the policy check)."""


def action_id(run_id: str, index: int, action: str, args: dict[str, Any]) -> str:
    """The id of the ``index``-th proposed action of a run (the same every time)."""
    digest = hashlib.sha256(f"{run_id}|{index}|{action}|{canonical(args)}".encode()).hexdigest()
    return f"A-{digest[:16]}"


def recorded(connection: sqlite3.Connection, action: str) -> dict[str, Any] | None:
    """The ``actions`` row of an action id, or None."""
    row = connection.execute("SELECT * FROM actions WHERE action_id = ?", (action,)).fetchone()
    return dict(row) if row else None


def record_decision(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    identity: str,
    action: str,
    args: dict[str, Any],
    decision: tuple[ActionStatus, str, str],
) -> dict[str, Any]:
    """Record the policy's ``(status, rule, reason)`` on an action, once; returns its row."""
    status, rule, reason = decision
    with transaction(connection, path):
        existing = recorded(connection, identity)
        if existing is None:
            stamp = now()
            connection.execute(
                "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    identity,
                    context["ticket_id"],
                    context["customer_id"],
                    context["thread_id"],
                    context["run_id"],
                    action,
                    canonical(args),
                    status,
                    rule,
                    reason,
                    stamp,
                    stamp,
                ),
            )
            write_audit(connection, context, identity, action, args, status, rule, reason)
    return recorded(connection, identity) or {}


def record_refused(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    index: int,
    reply: str,
    error: str,
) -> None:
    """Audit the ``index``-th reply refused for its form (``error`` says why), once."""
    args = {"reply": reply}
    identity = action_id(context["run_id"], -1 - index, "proposal", args)
    with transaction(connection, path):
        if audit_entries(connection, identity):
            return
        write_audit(
            connection,
            context,
            identity,
            "proposal",
            args,
            "denied",
            "proposal_invalid",
            error,
        )


def answer_approval(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    identity: str,
    approved: bool,
    reason: str,
) -> dict[str, Any]:
    """A person's answer on an action awaiting approval (recorded once); returns its row."""
    with transaction(connection, path):
        row = recorded(connection, identity)
        if row is None or row["status"] != "awaiting_approval":
            return row or {}
        status, rule = ("approved", row["rule"]) if approved else ("denied", "declined_by_person")
        _set_status(connection, identity, status, rule, reason)
        args = _args(row)
        write_audit(connection, context, identity, row["action"], args, status, rule, reason)
    return recorded(connection, identity) or {}


def _args(row: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(row["args"]))


def _set_status(
    connection: sqlite3.Connection, identity: str, status: str, rule: str, reason: str
) -> None:
    connection.execute(
        "UPDATE actions SET status = ?, rule = ?, reason = ?, updated = ? WHERE action_id = ?",
        (status, rule, reason, now(), identity),
    )


def _effect(
    connection: sqlite3.Connection,
    context: RunContext,
    identity: str,
    action: str,
    args: dict[str, Any],
    reason: str,
) -> str:
    """Carry out one action inside the caller's transaction; returns what was done."""
    records = CustomerRecords(connection, context["customer_id"])
    customer, stamp = context["customer_id"], now()
    if action == "refund":
        left = refundable(records, args["bill_id"])
        if args["amount"] > left + 0.005:
            raise ActionFailed(f"only {left:.2f} is left to refund on {args['bill_id']}")
        connection.execute(
            "INSERT INTO refunds VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                f"R-{identity[2:]}",
                customer,
                args["bill_id"],
                args["amount"],
                reason,
                identity,
                stamp,
            ),
        )
        return f"refunded {args['amount']:.2f} on {args['bill_id']}"
    if action == "apply_credit":
        connection.execute(
            "INSERT INTO credits VALUES (?, ?, ?, ?, ?, ?)",
            (f"CR-{identity[2:]}", customer, args["amount"], reason, identity, stamp),
        )
        return f"credited {args['amount']:.2f} to the account"
    if action == "escalate":
        escalation, _ = insert_escalation(connection, context, args.get("reason") or reason)
        return f"escalated to a person ({escalation})"
    return _service_effect(connection, records, identity, action, args, reason)


def _service_effect(
    connection: sqlite3.Connection,
    records: CustomerRecords,
    identity: str,
    action: str,
    args: dict[str, Any],
    reason: str,
) -> str:
    """Carry out a change of plan, a technician's visit or a line reset; returns what was done."""
    customer, stamp = records.customer_id, now()
    if action == "change_plan":
        before = records.plan()["plan_id"]
        connection.execute(
            "INSERT INTO plan_changes VALUES (?, ?, ?, ?, ?, ?)",
            (f"PC-{identity[2:]}", customer, before, args["plan_id"], identity, stamp),
        )
        connection.execute(
            "UPDATE customers SET plan_id = ? WHERE customer_id = ?", (args["plan_id"], customer)
        )
        return f"changed the plan from {before} to {args['plan_id']}"
    if action == "book_technician":
        slot = records.slot(args["slot_id"])
        if slot is None or slot["appointment_id"] is not None:
            raise ActionFailed(f"the slot {args['slot_id']} is no longer free")
        connection.execute(
            "INSERT INTO appointments VALUES (?, ?, ?, ?, ?, ?)",
            (f"AP-{identity[2:]}", customer, args["slot_id"], reason, identity, stamp),
        )
        return f"booked a technician for {slot['starts']}"
    if action == "reset_line":
        connection.execute(
            "UPDATE lines SET status = CASE status WHEN 'fault' THEN 'active' ELSE status END, "
            "last_reset = ? WHERE line_id = ? AND customer_id = ?",
            (stamp, args["line_id"], customer),
        )
        connection.execute(
            "INSERT INTO line_resets VALUES (?, ?, ?, ?, ?)",
            (f"LR-{identity[2:]}", customer, args["line_id"], identity, stamp),
        )
        return f"reset line {args['line_id']}"
    raise ActionFailed(f"unknown action {action!r}")


def execute_action(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    identity: str,
    reason: str,
) -> tuple[ActionStatus, str]:
    """Run a recorded, allowed (or approved) action once; returns its final status and why.

    The effect, the status and the audit row are one transaction. An action already
    finished is not run again: its recorded outcome is returned.
    """
    try:
        with transaction(connection, path):
            row = recorded(connection, identity)
            if row is None:
                raise ActionFailed(f"the action {identity} was never recorded")
            if row["status"] in FINAL_STATUSES or row["status"] == "awaiting_approval":
                return row["status"], row["reason"]
            args = _args(row)
            detail = _effect(connection, context, identity, row["action"], args, reason)
            _set_status(connection, identity, "done", row["rule"], detail)
            write_audit(
                connection, context, identity, row["action"], args, "done", row["rule"], detail
            )
        return "done", detail
    except ActionFailed as failure:
        return _fail(connection, path, context, identity, str(failure), str(failure))
    except sqlite3.IntegrityError as failure:
        return _fail(connection, path, context, identity, NOT_RECORDED, str(failure))


NOT_RECORDED = "our systems could not record it; a colleague will look into it"
"""What the customer reads of an action the database refused (the detail is audited)."""


def _fail(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    identity: str,
    why: str,
    detail: str,
) -> tuple[ActionStatus, str]:
    """Record the action as failed: ``why`` for the customer, ``detail`` in the audit log."""
    with transaction(connection, path):
        row = recorded(connection, identity)
        if row is None:
            return "failed", why
        _set_status(connection, identity, "failed", row["rule"], why)
        write_audit(
            connection, context, identity, row["action"], _args(row), "failed", row["rule"], detail
        )
    return "failed", why
