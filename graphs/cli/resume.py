"""``teamgraph threads`` and ``teamgraph resume``: list kept runs, finish an interrupted one."""

from __future__ import annotations

import argparse
from collections import OrderedDict
from typing import Any

from langgraph.types import Command
from rich.console import Console
from rich.table import Table

from agents.errors import InputError
from graphs.cli.approvals import parse_answer
from graphs.cli.run import add_budget_flags, drive, print_result, team_graph
from graphs.cli.threads import open_checkpointer, saved_run, thread_config


def add_parsers(commands: Any) -> None:
    """Register ``threads`` and ``resume``."""
    threads = commands.add_parser(
        "threads", allow_abbrev=False, help="list threads, or show one's history"
    )
    threads.add_argument("thread", nargs="?", help="show this thread's checkpoints")
    threads.set_defaults(run=list_threads)
    resume = commands.add_parser(
        "resume", allow_abbrev=False, help="finish an interrupted run from its checkpoint"
    )
    resume.add_argument("--thread", required=True, help="the thread to resume")
    resume.add_argument("--answer", help="answer a pending approval: approve, or a JSON object")
    add_budget_flags(resume)
    resume.add_argument(
        "--stream-tokens", action="store_true", help="show model tokens as they are written"
    )
    resume.add_argument("--json", action="store_true", help="print one JSON object")
    resume.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    resume.set_defaults(run=resume_thread)


def list_threads(args: argparse.Namespace, console: Console) -> int:
    """Print every thread with its latest checkpoint, or one thread's history."""
    saver = open_checkpointer()
    if args.thread:
        history = list(saver.list(thread_config(args.thread)))
        if not history:
            raise InputError(
                f"No thread {args.thread!r}: `teamgraph threads` lists the known ones."
            )
        table = Table("step", "namespace", "source", "writes", "checkpoint")
        for item in reversed(history):
            metadata = item.metadata or {}
            writes = (
                ", ".join(metadata.get("writes") or {})
                if isinstance(metadata.get("writes"), dict)
                else ""
            )
            table.add_row(
                str(metadata.get("step")),
                item.config["configurable"].get("checkpoint_ns") or "-",
                str(metadata.get("source")),
                writes,
                item.config["configurable"]["checkpoint_id"],
            )
        console.print(table)
        return 0
    latest: OrderedDict[str, Any] = OrderedDict()
    for item in saver.list(None):
        thread = item.config["configurable"]["thread_id"]
        if thread not in latest and not item.config["configurable"].get("checkpoint_ns"):
            latest[thread] = item
    table = Table("thread", "team", "steps", "last checkpoint")
    for thread, item in latest.items():
        metadata = item.metadata or {}
        table.add_row(
            thread,
            str(metadata.get("teamgraph_team", "?")),
            str(metadata.get("step")),
            str(item.checkpoint.get("ts", "")),
        )
    console.print(table if latest else "no threads yet")
    return 0


def resume_thread(args: argparse.Namespace, console: Console) -> int:
    """Continue a thread's run from its last checkpoint, answering its approval if given."""
    saver = open_checkpointer()
    saved = saved_run(saver, args.thread)
    if saved is None:
        raise InputError(
            f"No thread {args.thread!r} to resume: `teamgraph threads` lists the known ones."
        )
    models, auto_approve = saved
    config = thread_config(args.thread, "team", models, auto_approve)
    graph = team_graph(models, auto_approve, saver)
    snapshot = graph.get_state(config)
    answer = parse_answer(args.answer) if args.answer is not None else None
    if answer is not None and not snapshot.interrupts:
        raise InputError(
            f"Thread {args.thread!r} is not waiting for an approval; there is nothing to answer."
        )
    if not snapshot.next:
        console.print(
            f"[dim]thread {args.thread} has already finished; showing its result[/dim]",
            highlight=False,
        )
        print_result(dict(snapshot.values), 0.0, console, args.json, args.thread)
        return 0
    payload: Command[Any] | None = Command(resume=answer) if answer is not None else None
    return drive(graph, payload, config, console, args)
