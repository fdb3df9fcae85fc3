"""The first node of a support run: check the ticket and the customer, triage, record the ticket."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.support.triage import triage_ticket
from graphs.support.desk import SupportCrew
from graphs.support.settings import SupportSettings
from graphs.support.state import SupportState
from tools.kernel.errors import InputError
from tools.support_db.audit import RunContext
from tools.support_db.database import check_writable, connected, resolve_path
from tools.support_db.policy import load_policy
from tools.support_db.records import CustomerRecords
from tools.support_db.tickets import open_ticket, ticket_id


def check_request(ticket: str, customer: str, db_path: str) -> str:
    """The database path to use, once the ticket, the customer and the database are usable."""
    if not ticket.strip():
        raise InputError("The ticket is empty: give the customer's message.")
    if not customer.strip():
        raise InputError(
            "No customer given: set customer_id (on the command line, --customer ID); the "
            "run may only read and change that customer's records."
        )
    path = resolve_path(db_path or None)
    with connected(path) as connection:
        CustomerRecords(connection, customer)
        check_writable(connection, path)
    return str(path)


def _fresh_run() -> dict[str, Any]:
    """The fields of a new run on the thread, clearing a finished earlier one."""
    return {
        "findings": Overwrite({}),
        "records": Overwrite({}),
        "drafts": Overwrite([]),
        "critiques": Overwrite([]),
        "proposal": [],
        "refused_proposals": [],
        "actions": [],
        "revisions": 0,
        "reply": "",
        "rating": None,
        "escalation": None,
        "stop_reason": None,
        "budget_stop": None,
    }


def triage(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """Check the request, triage the ticket and record it (opens the run)."""
    ticket = (state.get("ticket") or "").strip()
    settings = crew.settings(runtime)
    customer = settings.customer_id.strip()
    path = check_request(ticket, customer, settings.db_path)
    numbers = load_policy()
    shift = crew.start(runtime)
    decision = triage_ticket(shift.caller("triage"), ticket)
    thread = str(get_config().get("configurable", {}).get("thread_id") or "")
    context = RunContext(
        customer_id=customer,
        ticket_id=ticket_id(shift.run["id"]),
        thread_id=thread,
        run_id=shift.run["id"],
    )
    with connected(path) as connection:
        open_ticket(connection, Path(path), context, ticket, decision.value.model_dump())
    return {
        **_fresh_run(),
        "ticket": ticket,
        "customer_id": customer,
        "db_path": path,
        "ticket_id": context["ticket_id"],
        "thread_id": thread,
        "policy": numbers.model_dump(),
        "triage": decision.value.model_dump(),
        "triage_fallback": decision.fallback_used,
        **shift.opening(decision.notes("triage")),
    }


def route_after_triage(state: SupportState) -> list[Literal["account", "diagnosis"]]:
    """Both specialists, at the same time."""
    return ["account", "diagnosis"]
