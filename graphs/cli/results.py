"""What a finished or waiting run prints: its result, its sources, what it spent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from agents.llm.pricing import usage_table
from graphs.cli.approvals import describe
from graphs.common.spec import TeamSpec
from tools.citations import format_citations


def announce_thread(console: Console, thread: str, silent: bool) -> None:
    """Say which thread the run keeps, and how to resume it (unless ``silent``)."""
    if not silent:
        console.print(
            f"[dim]thread {thread} (resume with: teamgraph resume --thread {thread})[/dim]",
            highlight=False,
        )


def print_json(value: Any) -> None:
    """One JSON object on stdout."""
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def usage_rows_table(usage: Mapping[str, Any], models: Mapping[str, str]) -> Table:
    """The per-role usage as a table: model, calls, tokens, seconds, cost."""
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
) -> None:
    """The result and its sources on stdout; the stop, usage and time on stderr (or JSON)."""
    if as_json:
        print_json({**spec.report(state), "thread": thread, "elapsed_s": round(elapsed, 3)})
        return
    result = spec.read_result(state)
    stop = state.get("budget_stop")
    if stop and not quiet:
        console.print(f"[yellow]stopped: {stop['message']}[/yellow] Best result so far:")
    print(result["text"])
    if result["citations"]:
        print("\nSources:\n" + format_citations(result["citations"]))
    if quiet:
        return
    if state.get("usage"):
        console.print(usage_rows_table(state["usage"], state.get("models") or {}))
    where = f"thread {thread}, " if thread else ""
    console.print(
        f"[dim]stopped: {spec.in_words(result['stop_reason'])}, {where}{elapsed:.1f}s[/dim]",
        highlight=False,
    )


def print_pending(
    payload: Mapping[str, Any], thread: str | None, console: Console, as_json: bool
) -> None:
    """What waits for a person, and how to answer it from any process."""
    if as_json:
        print_json({"thread": thread, "status": "waiting_for_approval", "pending": payload})
        return
    console.print(describe(payload), highlight=False)
    console.print(
        f"Waiting for a person. Answer with: teamgraph resume --thread {thread} --answer "
        f"{payload.get('answer_example', 'approve')} "
        f"(or JSON: {payload.get('how', '')})",
        highlight=False,
        soft_wrap=True,
    )
