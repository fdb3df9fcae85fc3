"""``teamgraph migrate``: copy the threads of the SQLite file into a PostgreSQL database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from graphs.cli.help import HOME_ENV, command
from graphs.threads.location import CHECKPOINT_URL_ENV, checked_url, checkpoint_url
from tools.kernel.errors import InputError
from tools.kernel.urls import masked


def add_parser(commands: Any) -> None:
    """Register ``migrate``."""
    parser = command(
        commands,
        "migrate",
        description="Copies every thread of TEAMGRAPH_HOME/checkpoints.sqlite (or --from) "
        "into the PostgreSQL database --to names: each checkpoint with the teams' inside it, "
        "the steps still pending (approvals, failures) and the run ledgers, so `threads`, "
        "`resume` and limits go on there. A thread the database already holds, or one "
        "running now, is left out and named; copying again adds only what is new.",
        examples=[
            "teamgraph migrate --to postgresql://user:password@db:5432/teamgraph",
            "teamgraph migrate --from old/checkpoints.sqlite --json",
        ],
        env={**HOME_ENV},
    )
    parser.add_argument(
        "--to", metavar="URL", help=f"the PostgreSQL database (default: {CHECKPOINT_URL_ENV})"
    )
    parser.add_argument(
        "--from", dest="source", type=Path, help="the SQLite file (default: in TEAMGRAPH_HOME)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def _target(args: argparse.Namespace) -> tuple[str, str]:
    if args.to:
        return checked_url(args.to, "--to"), "--to"
    url = checkpoint_url()
    if url is None:
        raise InputError(
            f"Name the PostgreSQL database to copy into: --to postgresql://user:password@host"
            f":5432/teamgraph (or set {CHECKPOINT_URL_ENV})."
        )
    return url, CHECKPOINT_URL_ENV


def _running(thread: str) -> str | None:
    from graphs.threads.locks import held_here

    return "running now: copy it once it ends" if held_here(thread) else None


def run(args: argparse.Namespace, console: Console) -> int:
    """Copy the threads and their ledgers; name each thread and what happened to it."""
    from graphs.cli.heap import set_up_done
    from graphs.cli.results import print_json
    from graphs.threads import postgres
    from graphs.threads.migrate import copy_threads
    from graphs.threads.storage import checkpoints_path, open_checkpointer, open_store

    source = args.source or checkpoints_path()
    if not source.is_file():
        raise InputError(f"There is no SQLite checkpoint file at {source}: nothing to copy.")
    url, setting = _target(args)
    target = (postgres.open_checkpointer(url, setting), postgres.open_store(url, setting))

    def said(thread: str, what: str) -> None:
        if not args.json:
            console.print(f"{thread}: {what}", highlight=False, markup=False)

    set_up_done()
    copied = copy_threads((open_checkpointer(source), open_store(source)), target, _running, said)
    if args.json:
        print_json({"to": masked(url), "from": str(source), **copied.__dict__})
        return 0
    console.print(
        f"copied {len(copied.threads)} thread(s) ({copied.checkpoints} checkpoints, "
        f"{copied.writes} pending writes) and {copied.store_items} ledger item(s) into "
        f"{masked(url)}; {len(copied.already_there)} already there, "
        f"{len(copied.left_out)} left out. Use it with {CHECKPOINT_URL_ENV}={masked(url)}.",
        highlight=False,
        markup=False,
    )
    return 0
