"""The audit log: one row for every decision on and outcome of an action, with thread and run."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from typing_extensions import TypedDict

from tools.kernel import strict_json


class RunContext(TypedDict):
    """Whose ticket, in which thread and run, an action belongs to."""

    customer_id: str
    ticket_id: str
    thread_id: str
    run_id: str


def now() -> str:
    """The current time, UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def canonical(args: dict[str, Any]) -> str:
    """``args`` as JSON with sorted keys (the same arguments always read the same)."""
    return strict_json.dumps(args, sort_keys=True, ensure_ascii=False)


def write_audit(
    connection: sqlite3.Connection,
    context: RunContext,
    action_id: str,
    action: str,
    args: dict[str, Any],
    status: str,
    rule: str,
    detail: str,
) -> None:
    """One audit row (inside the caller's transaction)."""
    connection.execute(
        "INSERT INTO audit_log (at, thread_id, run_id, customer_id, action_id, action, args, "
        "status, rule, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now(),
            context["thread_id"],
            context["run_id"],
            context["customer_id"],
            action_id,
            action,
            canonical(args),
            status,
            rule,
            detail,
        ),
    )


def audit_entries(
    connection: sqlite3.Connection, action_id: str | None = None
) -> list[dict[str, Any]]:
    """Every audit row (of one action, if given), oldest first."""
    sql = "SELECT * FROM audit_log"
    params: tuple[Any, ...] = ()
    if action_id is not None:
        sql += " WHERE action_id = ?"
        params = (action_id,)
    return [dict(row) for row in connection.execute(sql + " ORDER BY entry_id", params)]
