"""``teamgraph threads``: every kept thread with its team, status and request, or one's history."""

from __future__ import annotations

import argparse
from collections import OrderedDict
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from graphs.cli.help import HOME_ENV, command
from graphs.cli.history import history
from graphs.cli.locks import is_running
from graphs.cli.results import print_json
from graphs.cli.storage import open_checkpointer, saved_run, thread_config
from graphs.registry import TEAMS
from tools.kernel.errors import InputError

REQUEST_KEYS = ("request", "question", "topic", "image", "ticket")


def add_parser(commands: Any) -> None:
    """Register ``threads``."""
    parser = command(
        commands,
        "threads",
        summary="list threads, or show one's history",
        description="Every kept thread with its team, status (running, waiting, failed, "
        "interrupted, done), request and last change; or one thread's steps, a line each.",
        examples=["teamgraph threads", "teamgraph threads report-1 --json"],
        env=HOME_ENV,
    )
    parser.add_argument("thread", nargs="?", help="show this thread's checkpoints")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Print every thread, or one thread's history, on stdout."""
    saver = open_checkpointer()
    if args.thread:
        return _history(saver, args.thread, console, args.json)
    latest: OrderedDict[str, Any] = OrderedDict()
    for item in saver.list(None):
        thread = item.config["configurable"]["thread_id"]
        if thread not in latest and not item.config["configurable"].get("checkpoint_ns"):
            latest[thread] = item
    graphs: dict[str, Any] = {}
    rows = [_summary(saver, thread, item, graphs) for thread, item in latest.items()]
    if args.json:
        print_json(rows)
        return 0
    table = Table("thread", "team", "status", "updated", "request")
    for row in rows:
        status = f"{row['status']}: {row['error']}" if row.get("error") else row["status"]
        updated = local_time(row["updated"])
        table.add_row(row["thread"], row["team"], status, updated, row["request"])
    Console().print(table if rows else "no threads yet")
    return 0


def local_time(stamp: str) -> str:
    """An ISO timestamp as this machine's local time to the second (as given if unreadable)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def _summary(saver: Any, thread: str, item: Any, graphs: dict[str, Any]) -> dict[str, Any]:
    saved = saved_run(saver, thread)
    team = saved.team if saved else "?"
    values = item.checkpoint.get("channel_values") or {}
    request = next((str(values[k]) for k in REQUEST_KEYS if values.get(k)), "")
    status, error = _status(saver, team, thread, graphs)
    row = {
        "thread": thread,
        "team": team,
        "status": status,
        "request": request,
        "updated": str(item.checkpoint.get("ts", "")),
    }
    return {**row, "error": error} if error else row


def _status(saver: Any, team: str, thread: str, graphs: dict[str, Any]) -> tuple[str, str]:
    """running, waiting (for a person), failed (with the error), interrupted, or done."""
    if is_running(thread):
        return "running", ""
    spec = TEAMS.get(team)
    if spec is None:
        return "unknown", ""
    if team not in graphs:
        graphs[team] = spec.build_graph(None, check_models=False, checkpointer=saver)
    snapshot = graphs[team].get_state(thread_config(thread))
    if snapshot.interrupts:
        return "waiting", ""
    errors = [str(task.error) for task in snapshot.tasks if task.error]
    if errors:
        return "failed", errors[0]
    return ("interrupted" if snapshot.next else "done"), ""


def _history(saver: Any, thread: str, console: Console, as_json: bool) -> int:
    saved = saved_run(saver, thread)
    if saved is None:
        raise InputError(f"No thread {thread!r}: `teamgraph threads` lists the known ones.")
    rows = history(saver, saved.team, thread)
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        status, error = _status(saver, saved.team, thread, {})
        print(
            f"thread {thread} ({saved.team}) has no finished step yet: {status}"
            + (f" ({error})" if error else "")
            + f". `teamgraph resume --thread {thread}` runs it from its start."
        )
        return 0
    table = Table("step", "team · node", "what it wrote")
    for row in rows:
        table.add_row(str(row["step"]), f"{row['team']} · {row['node']}", row["wrote"])
    Console().print(table)
    return 0
