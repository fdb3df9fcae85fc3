"""Tickets and escalations: a row per ticket a run handles, a row per case handed to a person."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from tools.support_db.audit import RunContext, now, write_audit
from tools.support_db.database import transaction


def ticket_id(run_id: str) -> str:
    """The id of the ticket a run handles (the same for the same run)."""
    return f"T-{hashlib.sha256(run_id.encode()).hexdigest()[:12]}"


def escalation_id(ticket: str) -> str:
    """The one escalation a ticket may open."""
    return f"E-{ticket[2:]}"


def open_ticket(
    connection: sqlite3.Connection,
    path: Path,
    context: RunContext,
    text: str,
    triage: dict[str, Any],
) -> None:
    """Record the ticket and its triage (once: a redone step changes nothing)."""
    stamp = now()
    with transaction(connection, path):
        connection.execute(
            "INSERT OR IGNORE INTO tickets (ticket_id, customer_id, thread_id, run_id, text, "
            "category, urgency, sentiment, summary, status, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
            (
                context["ticket_id"],
                context["customer_id"],
                context["thread_id"],
                context["run_id"],
                text,
                triage.get("category"),
                triage.get("urgency"),
                triage.get("sentiment"),
                triage.get("summary"),
                stamp,
                stamp,
            ),
        )


def close_ticket(
    connection: sqlite3.Connection,
    path: Path,
    ticket: str,
    status: str,
    reply: str,
    rating: int | None,
) -> None:
    """Record how the ticket ended: status (``replied``/``escalated``), the reply, the rating."""
    with transaction(connection, path):
        connection.execute(
            "UPDATE tickets SET status = ?, reply = ?, rating = ?, updated = ? WHERE ticket_id = ?",
            (status, reply, rating, now(), ticket),
        )


def insert_escalation(
    connection: sqlite3.Connection, context: RunContext, reason: str
) -> tuple[str, bool]:
    """Open the ticket's escalation inside the caller's transaction; (its id, whether new)."""
    identity = escalation_id(context["ticket_id"])
    cursor = connection.execute(
        "INSERT OR IGNORE INTO escalations VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
        (
            identity,
            context["customer_id"],
            context["ticket_id"],
            context["thread_id"],
            context["run_id"],
            reason,
            now(),
        ),
    )
    return identity, cursor.rowcount == 1


def escalate(
    connection: sqlite3.Connection, path: Path, context: RunContext, rule: str, reason: str
) -> str:
    """Open the ticket's escalation for a person (once), audited; returns its id."""
    with transaction(connection, path):
        identity, new = insert_escalation(connection, context, reason)
        if new:
            write_audit(
                connection, context, identity, "escalate", {"reason": reason}, "done", rule, reason
            )
    return identity
