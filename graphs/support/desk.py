"""What the support team's nodes share: the run's database, customer and context for the audit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool

from graphs.common.crew import Crew
from graphs.support.settings import SupportSettings
from tools.support_db.audit import RunContext
from tools.support_db.database import connected
from tools.support_db.lookups import account_tools, diagnosis_tools
from tools.support_db.records import CustomerRecords

SupportCrew = Crew[SupportSettings]


def run_context(state: Mapping[str, Any]) -> RunContext:
    """Whose ticket, in which thread and run: what every database write is recorded with."""
    return RunContext(
        customer_id=state["customer_id"],
        ticket_id=state["ticket_id"],
        thread_id=state.get("thread_id") or "",
        run_id=state["run"]["id"],
    )


def database_path(state: Mapping[str, Any]) -> Path:
    """The run's support database."""
    return Path(state["db_path"])


@contextmanager
def customer_records(
    state: Mapping[str, Any],
) -> Iterator[tuple[sqlite3.Connection, CustomerRecords]]:
    """A connection to the run's database and the run's customer's records on it."""
    with connected(database_path(state)) as connection:
        yield connection, CustomerRecords(connection, state["customer_id"])


def specialist_tools(role: str, state: Mapping[str, Any]) -> list[BaseTool]:
    """The read-only tools of ``role``, over the run's customer only."""
    make = account_tools if role == "account" else diagnosis_tools
    return make(database_path(state), state["customer_id"])


def ticket_brief(state: Mapping[str, Any]) -> str:
    """The ticket and its triage, as the specialists and resolution read them."""
    triage = state.get("triage") or {}
    return (
        f"Ticket from customer {state['customer_id']}:\n{state['ticket']}\n\n"
        f"Triage: {triage.get('category', '?')}, urgency {triage.get('urgency', '?')}: "
        f"{triage.get('summary', '')}"
    )
