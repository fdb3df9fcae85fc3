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
NEXT_STEP = "What is the next step?"
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


def step(action: str = "finish", value: str = "") -> str:
    return json.dumps({"thought": "t", "action": action, "action_input": value})


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
    account_step: Reply | None = None,
    diagnosis_step: Reply | None = None,
    account_findings: Reply | None = None,
    diagnosis_findings: Reply | None = None,
    resolution: Reply | None = None,
    writer: Reply = "Dear customer, we looked into it.",
    critic: Reply | None = None,
) -> list[tuple[str, Any]]:
    """Rules for a RoutedChatModel answering every role of the desk (defaults: all fine)."""
    triage_reply = triage() if triage_reply is None else triage_reply
    account_step = step() if account_step is None else account_step
    diagnosis_step = step() if diagnosis_step is None else diagnosis_step
    account_findings = findings("account ok") if account_findings is None else account_findings
    diagnosis_findings = (
        findings("diagnosis ok") if diagnosis_findings is None else diagnosis_findings
    )
    resolution = proposal(action("none")) if resolution is None else resolution
    critic = critique() if critic is None else critic

    def by_kind(on_step: Reply, on_findings: Reply) -> Callable[[str], str]:
        def answer(prompt: str) -> str:
            chosen = on_findings if FINDINGS in prompt else on_step
            if isinstance(chosen, BaseException):
                raise chosen
            return chosen(prompt) if callable(chosen) else chosen

        return answer

    return [
        (TRIAGE, triage_reply),
        (ACCOUNT, by_kind(account_step, account_findings)),
        (DIAGNOSIS, by_kind(diagnosis_step, diagnosis_findings)),
        (RESOLUTION, resolution),
        (CRITIC, critic),
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
