"""What a finished or waiting run prints: its result, its sources, what it spent."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from agents.llm.pricing import usage_table
from graphs.cli.approvals import describe
from graphs.cli.interrupts import resume_command
from graphs.common.spec import TeamSpec
from tools.citations import cited_numbers, format_citations
from tools.kernel import strict_json
from tools.kernel.errors import TeamgraphError

UNCITED_HEADING = "Sources (the answer cites none; these share the most words with it)"
NO_SOURCES = "Sources: none. No source backs this answer: it is the model's own."


def announce_thread(console: Console, thread: str, silent: bool, server: str | None = None) -> None:
    """Say which thread the run keeps, and how to resume it (unless ``silent``).

    A run made by ``server`` is resumed there, so the command names it.
    """
    if not silent:
        console.print(
            f"[dim]thread {thread} (resume with: {resume_command(thread, server)})[/dim]",
            highlight=False,
            soft_wrap=True,
        )


def print_json(value: Any) -> None:
    """One JSON object on stdout."""
    print(strict_json.dumps(value, ensure_ascii=False, indent=2, default=str))


def usage_rows_table(usage: Mapping[str, Any], models: Mapping[str, str]) -> Table:
    """The per-role usage as a table: model, calls, tokens, seconds, cost.

    ``models`` are the run's as its ``--json`` report gives them: those of the roles of a
    team playing a role too.
    """
    table = Table("role", "model", "calls", "input tok", "output tok", "seconds", "cost (USD)")
    for row in usage_table(usage, models):
        cost = row.get("cost_usd")
        table.add_row(
            str(row["role"]),
            str(row["model"]),
            str(row["calls"]),
            str(row["input_tokens"]),
            str(row["output_tokens"]),
            f"{row['seconds']:.1f}",
            "-" if cost is None else f"{cost:.4f}",
        )
    return table


def print_result(
    spec: TeamSpec,
    state: Mapping[str, Any],
    elapsed: float,
    console: Console,
    *,
    as_json: bool,
    quiet: bool,
    thread: str | None,
    since_request: float | None = None,
    shown: str = "",
) -> None:
    """The result and its sources on stdout; the stop, usage and time on stderr (or JSON).

    ``elapsed`` is this process's time; ``since_request`` the whole request's, when the run
    was resumed (or waited for a person) it is longer. A result that is ``shown``, the
    text the person just rated on this terminal, is not printed on it again.
    """
    if as_json:
        times = {"elapsed_s": round(elapsed, 3)}
        if since_request is not None:
            times["since_request_s"] = round(since_request, 3)
        print_json({**spec.report(state), "thread": thread, **times})
        return
    result = spec.read_result(state)
    stop = state.get("budget_stop")
    if stop and not quiet:
        console.print(f"[yellow]stopped: {stop['message']}[/yellow] Best result so far:")
    if shown and shown == result["text"] and sys.stdout.isatty() and console.is_terminal:
        console.print("[dim](the reply is the one shown above)[/dim]", highlight=False)
    else:
        print(result["text"])
    if result["citations"]:
        heading = "Sources" if cited_numbers(result["text"]) else UNCITED_HEADING
        print(f"\n{heading}:\n" + format_citations(result["citations"]))
    elif spec.answers_from_sources:
        print(f"\n{NO_SOURCES}")
    if quiet:
        return
    if state.get("usage"):
        models = spec.report(state).get("models") or {}
        console.print(usage_rows_table(state["usage"], models))
    where = f"thread {thread}, " if thread else ""
    took = f"{elapsed:.1f}s"
    if since_request is not None and since_request > elapsed + 0.5:
        took += f" this time, {since_request:.1f}s since the request"
    console.print(
        f"[dim]stopped: {spec.in_words(result['stop_reason'])}, {where}{took}[/dim]",
        highlight=False,
    )


_ERRORS_PRINTED: list[BaseException] = []


def print_error(error: BaseException, fields: Mapping[str, Any] | None = None) -> None:
    """The ``--json`` object of a command that failed: why, then ``fields``.

    Printed once for an error, by the first to report it (the command, else ``main``), so
    stdout holds one JSON object whether a command ends well or not.
    """
    if any(printed is error for printed in _ERRORS_PRINTED):
        return
    _ERRORS_PRINTED.append(error)
    message = (
        error.said()
        if isinstance(error, TeamgraphError)
        else f"unexpected {type(error).__name__}: {error}"
    )
    print_json({"error": message, **(fields or {})})


def print_failure(error: BaseException, thread: str | None, usage: Mapping[str, Any]) -> None:
    """The ``--json`` object of a run that failed: why, the thread, what it spent so far."""
    print_error(error, {"stop_reason": "error", "thread": thread, "usage": usage})


def print_pending(
    payload: Mapping[str, Any],
    thread: str | None,
    console: Console,
    as_json: bool,
    server: str | None = None,
) -> None:
    """What waits for a person, and how to answer it from any process (or the server's)."""
    if as_json:
        print_json({"thread": thread, "status": "waiting_for_approval", "pending": payload})
        return
    console.print(describe(payload), markup=False, highlight=False)
    console.print(
        f"Waiting for a person. Answer with: {resume_command(thread, server)} --answer "
        f"{payload.get('answer_example', 'approve')}. {payload.get('how', '')}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
