"""``teamgraph threads``: every kept thread with its team, status and request, or one's history."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from graphs.cli.flags import server_url
from graphs.cli.help import HOME_ENV, command
from tools.kernel.errors import InputError, unstopped


def add_parser(commands: Any) -> None:
    """Register ``threads``."""
    parser = command(
        commands,
        "threads",
        description="Every kept thread with its team, status (running, waiting, failed, "
        "interrupted, done), request and last change; or one thread's steps, a line each.",
        examples=[
            "teamgraph threads report-1 --json",
            "teamgraph threads --server http://127.0.0.1:8123",
        ],
        env=HOME_ENV,
    )
    parser.add_argument("thread", nargs="?", help="show this thread's checkpoints")
    parser.add_argument(
        "--server",
        metavar="URL",
        type=server_url,
        help="list the threads the Agent Server at URL keeps instead",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Print every thread, or one thread's history, on stdout."""
    from graphs.cli.results import print_json
    from graphs.threads.listing import list_threads
    from graphs.threads.storage import open_checkpointer

    if args.server:
        return _served(args)
    saver = open_checkpointer()
    if args.thread:
        return _history(saver, args.thread, console, args.json)
    rows = list_threads(saver)
    if args.json:
        print_json(rows)
        return 0
    Console().print(_table(rows) if rows else "no threads yet")
    return 0


def _served(args: argparse.Namespace) -> int:
    """The threads the server at ``--server`` keeps."""
    from graphs.cli.results import print_json
    from graphs.serving.threads import served_threads
    from tools.kernel.urls import masked

    if args.thread:
        raise InputError(
            "threads lists a server's threads but shows the steps of threads kept here only: "
            f"drop {args.thread!r}, or open the thread in Studio."
        )
    rows = served_threads(args.server)
    if args.json:
        print_json(rows)
        return 0
    Console().print(_table(rows) if rows else f"no threads on {masked(args.server)} yet")
    return 0


ERROR_WIDTH = 160
"""A thread's error is cut to this many characters in the list (``threads THREAD`` and
``--json`` give it whole)."""


def _table(rows: list[dict[str, Any]]) -> Table:
    from graphs.common.live import shorten

    table = Table("thread", "team", "status", "updated", "request")
    for row in rows:
        error = shorten(row["error"], ERROR_WIDTH) if row.get("error") else ""
        status = f"{row['status']}: {error}" if error else row["status"]
        updated = local_time(row["updated"])
        table.add_row(row["thread"], row["team"], status, updated, row["request"])
    return table


def local_time(stamp: str) -> str:
    """An ISO timestamp as this machine's local time to the second (as given if unreadable)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def _history(saver: Any, thread: str, console: Console, as_json: bool) -> int:
    from graphs.cli.results import print_json
    from graphs.threads.listing import thread_status
    from graphs.threads.storage import saved_run
    from graphs.threads.timeline import history

    saved = saved_run(saver, thread)
    if saved is None:
        raise InputError(f"No thread {thread!r}: `teamgraph threads` lists the known ones.")
    rows = history(saver, saved.team, thread, source=saved.source)
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        status, error = thread_status(saver, saved.team, thread, source=saved.source)
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
    status, error = thread_status(saver, saved.team, thread, source=saved.source)
    if status in ("failed", "interrupted"):
        why = f": {unstopped(error)}" if error else ""
        print(f"{status}{why}. `teamgraph resume --thread {thread}` goes on from there.")
    return 0
