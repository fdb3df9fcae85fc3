"""``teamgraph threads``: every kept thread with its team, status and request, or one's history."""

from __future__ import annotations

import argparse
from collections import OrderedDict
from typing import Any

from rich.console import Console
from rich.table import Table

from graphs.cli.results import print_json
from graphs.cli.storage import open_checkpointer, saved_run, thread_config
from graphs.registry import TEAMS
from tools.kernel.errors import InputError

REQUEST_KEYS = ("request", "question", "topic", "ticket")


def add_parser(commands: Any) -> None:
    """Register ``threads``."""
    parser = commands.add_parser(
        "threads", allow_abbrev=False, help="list threads, or show one's history"
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
        table.add_row(row["thread"], row["team"], row["status"], row["updated"], row["request"])
    Console().print(table if rows else "no threads yet")
    return 0


def _summary(saver: Any, thread: str, item: Any, graphs: dict[str, Any]) -> dict[str, Any]:
    saved = saved_run(saver, thread)
    team = saved.team if saved else "?"
    values = item.checkpoint.get("channel_values") or {}
    request = next((str(values[k]) for k in REQUEST_KEYS if values.get(k)), "")
    return {
        "thread": thread,
        "team": team,
        "status": _status(saver, team, thread, graphs),
        "request": request,
        "updated": str(item.checkpoint.get("ts", "")),
    }


def _status(saver: Any, team: str, thread: str, graphs: dict[str, Any]) -> str:
    spec = TEAMS.get(team)
    if spec is None:
        return "unknown"
    if team not in graphs:
        graphs[team] = spec.build_graph(None, check_models=False, checkpointer=saver)
    snapshot = graphs[team].get_state(thread_config(thread))
    if snapshot.interrupts:
        return "waiting"
    return "interrupted" if snapshot.next else "done"


def _history(saver: Any, thread: str, console: Console, as_json: bool) -> int:
    history = list(saver.list(thread_config(thread)))
    if not history:
        raise InputError(f"No thread {thread!r}: `teamgraph threads` lists the known ones.")
    rows = [
        {
            "step": (item.metadata or {}).get("step"),
            "namespace": item.config["configurable"].get("checkpoint_ns") or "",
            "source": (item.metadata or {}).get("source"),
            "checkpoint": item.config["configurable"]["checkpoint_id"],
        }
        for item in reversed(history)
    ]
    if as_json:
        print_json(rows)
        return 0
    table = Table("step", "namespace", "source", "checkpoint")
    for row in rows:
        table.add_row(
            str(row["step"]), row["namespace"] or "-", str(row["source"]), row["checkpoint"]
        )
    Console().print(table)
    return 0
