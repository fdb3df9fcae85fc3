"""Run the support suite: every ticket, k trials each, on a fresh copy of the demo database.

A person's answers are played by the suite: an approval is answered with the ticket's
``approval``, and the customer's rating is the ticket's ``rating``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langgraph.types import Command
from typing_extensions import TypedDict

from graphs.evaluation.concurrency import run_all
from graphs.evaluation.support_scoring import score_run
from graphs.evaluation.support_suite import SupportTicket
from tools.kernel.errors import TeamgraphError
from tools.support_db.setup import fresh_copy, init_database

MAX_STOPS = 5
"""Most stops for a person one run may make (approvals answered, then done)."""


class TrialResult(TypedDict):
    """One trial of one ticket: did it reach the end state, and what it cost."""

    id: str
    category: str
    trial: int
    passed: bool
    failures: list[str]
    stop_reason: str | None
    actions: list[str]
    """Each action as ``name: status``."""
    escalated: bool
    models: dict[str, str]
    """Role -> the model it used."""
    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    cost_usd: float | None
    error: str


def _answer(pending: dict[str, Any], ticket: SupportTicket) -> Any:
    if pending.get("kind") == "feedback":
        return ticket.rating
    return {"action": ticket.approval, "reason": f"the suite answers {ticket.approval}"}


def play(graph: Any, ticket: SupportTicket, db: Path, thread: str) -> dict[str, Any]:
    """Run the desk on ``ticket`` against ``db``, answering its stops; the final state."""
    config: Any = {"configurable": {"thread_id": thread}}
    context = {"customer_id": ticket.customer, "db_path": str(db), "feedback": ticket.rating}
    payload: Any = {"ticket": ticket.ticket}
    for _ in range(MAX_STOPS):
        graph.invoke(payload, config, context=context)
        snapshot = graph.get_state(config)
        if not snapshot.interrupts:
            return dict(snapshot.values)
        payload = Command(resume=_answer(snapshot.interrupts[0].value, ticket))
    raise TeamgraphError(f"{ticket.id}: still waiting for a person after {MAX_STOPS} answers.")


def _result(
    ticket: SupportTicket, trial: int, state: dict[str, Any], seconds: float
) -> TrialResult:
    usage = (state.get("usage") or {}).values()
    costs = [u.get("cost_usd") for u in usage]
    return TrialResult(
        id=ticket.id,
        category=ticket.category,
        trial=trial,
        passed=False,
        failures=[],
        stop_reason=state.get("stop_reason"),
        actions=[f"{a['action']}: {a['status']}" for a in state.get("actions") or []],
        escalated=bool(state.get("escalation")),
        models=dict(state.get("models") or {}),
        calls=sum(u["calls"] for u in usage),
        input_tokens=sum(u["input_tokens"] for u in usage),
        output_tokens=sum(u["output_tokens"] for u in usage),
        seconds=round(seconds, 3),
        cost_usd=None if not costs or None in costs else round(sum(c or 0.0 for c in costs), 6),
        error="",
    )


def forget(graph: Any, thread: str) -> None:
    """Drop ``thread``'s checkpoints, so a long suite holds one trial's at a time."""
    if graph.checkpointer is not None:
        graph.checkpointer.delete_thread(thread)


def run_trial(
    graph: Any, ticket: SupportTicket, trial: int, pristine: Path, folder: Path
) -> TrialResult:
    """One trial: a fresh database, the run, its score."""
    db = fresh_copy(pristine, folder / f"{ticket.id}-{trial}.sqlite")
    started = time.perf_counter()
    thread = f"eval-{ticket.id}-{trial}"
    try:
        state = play(graph, ticket, db, thread)
    except TeamgraphError as error:
        failed = _result(ticket, trial, {}, time.perf_counter() - started)
        return {**failed, "failures": [str(error)], "error": str(error)}
    finally:
        forget(graph, thread)
    result = _result(ticket, trial, state, time.perf_counter() - started)
    failures = score_run(db, ticket, state)
    if state.get("budget_stop"):
        failures.insert(0, f"stopped at a run limit ({state['stop_reason']})")
    db.unlink(missing_ok=True)
    return {**result, "passed": not failures, "failures": failures}


def run_suite(
    graph: Any,
    tickets: Sequence[SupportTicket],
    trials: int,
    on_result: Callable[[TrialResult], None] | None = None,
    concurrency: int = 1,
) -> list[TrialResult]:
    """Every ticket, ``trials`` times, each on a fresh copy of the demo database.

    ``concurrency`` trials run at once; the results come back trial by trial, ticket by
    ticket, whatever finished first.
    """
    runs = [(trial, ticket) for trial in range(1, trials + 1) for ticket in tickets]
    with tempfile.TemporaryDirectory(prefix="teamgraph-support-eval-") as scratch:
        folder = Path(scratch)
        pristine = init_database(folder / "demo.sqlite", demo=True).path
        return run_all(
            runs,
            lambda run: run_trial(graph, run[1], run[0], pristine, folder),
            concurrency,
            on_result,
        )
