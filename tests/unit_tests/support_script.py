"""Scripted replies for the support team's roles, and a demo database for tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.fakes import RoutedChatModel

TRIAGE = "You triage the tickets"
ACCOUNT = "You are the account agent"
DIAGNOSIS = "You are the diagnosis agent"
FINDINGS = "Write your findings"
RESOLUTION = "You are the resolution agent"
WRITER = "You write the help desk's reply"
CRITIC = "You check a help desk's reply"
ROLE_MARKERS = {
    "triage": TRIAGE,
    "account": ACCOUNT,
    "diagnosis": DIAGNOSIS,
    "resolution": RESOLUTION,
    "writer": WRITER,
    "critic": CRITIC,
}


def triage(category: str = "billing", urgency: str = "normal", sentiment: int = -1) -> str:
    return json.dumps(
        {"category": category, "urgency": urgency, "sentiment": sentiment, "summary": "s"}
    )


def findings(summary: str = "found it", problems: Sequence[str] = ()) -> str:
    return json.dumps({"summary": summary, "problems": list(problems)})


def action(name: str, reason: str = "because", **args: Any) -> dict[str, Any]:
    return {"action": name, "args": args, "reason": reason}


def proposal(*actions: dict[str, Any]) -> str:
    return json.dumps({"actions": list(actions)})


def critique(approved: bool = True, score: int = 9, feedback: str = "fine") -> str:
    return json.dumps({"approved": approved, "score": score, "feedback": feedback})


Reply = str | BaseException | Callable[[str], str]


def desk_rules(
    *,
    triage_reply: Reply | None = None,
    account_findings: Reply | None = None,
    diagnosis_findings: Reply | None = None,
    resolution: Reply | None = None,
    writer: Reply = "Dear customer, we looked into it.",
    critic: Reply | None = None,
) -> list[tuple[str, Any]]:
    """Rules for a RoutedChatModel answering every role of the desk (defaults: all fine).

    On the guided path the specialists read every record without the model, so their
    only calls are their findings.
    """
    return [
        (TRIAGE, triage() if triage_reply is None else triage_reply),
        (ACCOUNT, findings("account ok") if account_findings is None else account_findings),
        (DIAGNOSIS, findings("diagnosis ok") if diagnosis_findings is None else diagnosis_findings),
        (RESOLUTION, proposal(action("none")) if resolution is None else resolution),
        (CRITIC, critique() if critic is None else critic),
        (WRITER, writer),
    ]


def desk_model(delay_s: float = 0.0, **replies: Any) -> RoutedChatModel:
    """One scripted model for every role (see :func:`desk_rules`)."""
    return RoutedChatModel(rules=desk_rules(**replies), delay_s=delay_s)


def demo_database(folder: Path) -> Path:
    """A fresh demo database in ``folder``."""
    from tools.support_db.setup import init_database

    return init_database(folder / "support.sqlite", demo=True).path


def rows(path: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of a query on the database at ``path``."""
    import sqlite3

    connection = sqlite3.connect(str(path))
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()
