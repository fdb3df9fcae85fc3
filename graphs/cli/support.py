"""``teamgraph support``: create the support database, or have the desk answer a ticket.

``teamgraph support init [--demo] [--db PATH]`` creates (or migrates) the database;
``teamgraph support "TICKET" --customer ID`` runs the desk on a thread, stopping for a
person on sensitive actions and for the customer's rating unless told otherwise.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from rich.console import Console

from graphs import support
from graphs.cli.exit_codes import EXIT_OK
from graphs.cli.flags import add_run_flags, limits_from_flags, models_from_flags
from graphs.cli.help import HOME_ENV, MODEL_ENV, command
from graphs.registry import team_spec
from tools.kernel.errors import InputError

INIT = "init"


def add_parser(commands: Any) -> None:
    """Register the ``support`` command."""
    parser = command(
        commands,
        "support",
        description="A telecom help desk on a SQLite customer database: triage, then the account "
        "and diagnosis agents at once, actions checked by a policy in code (sensitive ones wait "
        "for a person), a reply in the brand voice checked by a critic, the customer's rating, "
        "and an escalation when the desk cannot help. Every read and write is scoped to "
        "--customer.",
        examples=[
            "teamgraph support init --demo",
            'teamgraph support "I was charged twice this month" --customer C1001 --feedback 4',
        ],
        env={**MODEL_ENV, **HOME_ENV},
    )
    parser.add_argument("ticket", help=f"the customer's message, or {INIT} to create the database")
    parser.add_argument("--customer", help="the customer's id, e.g. C1001 (required for a ticket)")
    parser.add_argument(
        "--db", type=Path, help="the support database (default TEAMGRAPH_HOME/support.sqlite)"
    )
    parser.add_argument(
        "--demo", action="store_true", help=f"with {INIT}: fill in the deterministic demo dataset"
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help=f"with {INIT} --demo: rebuild the demo even if it holds tickets and actions",
    )
    parser.add_argument(
        "--auto-approve",
        action="store_true",
        help="approve plan changes and technician visits without asking (refunds over the "
        "cap still wait for a person)",
    )
    parser.add_argument(
        "--feedback",
        type=int,
        choices=range(1, 6),
        metavar="1-5",
        help="the customer's rating of the reply (default: ask)",
    )
    add_run_flags(
        parser, support.ROLES, "thread id to keep and resume the run (default: a new one)"
    )
    parser.set_defaults(run=run, parser=parser)


def init(args: argparse.Namespace, console: Console) -> int:
    """Create or migrate the database; with ``--demo``, fill in the demo dataset."""
    from graphs.cli.results import print_json
    from tools.support_db.setup import init_database

    if args.customer or args.auto_approve or args.feedback is not None:
        raise InputError(f"`support {INIT}` takes only --demo, --reset and --db.")
    if args.reset and not args.demo:
        raise InputError(f"--reset goes with `support {INIT} --demo`.")
    report = init_database(args.db, demo=args.demo, reset=args.reset)
    summary = {
        "db": str(report.path),
        "schema_version": report.schema_version,
        "customers": report.customers,
        "created": report.created,
        "migrated": report.migrated,
        "reset": report.reset,
    }
    if args.json:
        print_json(summary)
        return EXIT_OK
    what = (
        "created"
        if report.created
        else "reset to the demo dataset (its tickets and actions are gone)"
        if report.reset
        else "migrated"
        if report.migrated
        else "up to date"
    )
    print(
        f"support database {report.path}: {what}, schema version {report.schema_version}, "
        f"{report.customers} customers"
    )
    return EXIT_OK


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the desk on one ticket and print the reply (or JSON); returns the exit status."""
    from graphs.cli.driver import Display, drive
    from graphs.cli.results import announce_thread
    from graphs.support.intake import check_request
    from graphs.threads.jobs import build_job
    from graphs.threads.locks import hold_thread

    if args.ticket.strip() == INIT:
        return init(args, console)
    if args.demo or args.reset:
        raise InputError(f"--demo and --reset go with `support {INIT}`, not with a ticket.")
    if not args.customer:
        args.parser.error("a ticket needs --customer ID (the customer whose ticket it is)")
    db = check_request(args.ticket, args.customer, str(args.db or ""))
    settings: dict[str, Any] = {
        "customer_id": args.customer.strip(),
        "db_path": db,
        "auto_approve": args.auto_approve,
        **({"feedback": args.feedback} if args.feedback is not None else {}),
        **limits_from_flags(args),
    }
    models = models_from_flags(args, support.ROLES)
    thread = args.thread or uuid.uuid4().hex[:12]
    payload = support.make_input(args.ticket.strip())
    with hold_thread(thread):
        job = build_job(team_spec("support"), models, settings, thread)
        announce_thread(console, thread, args.quiet or args.json)
        return drive(job, payload, console, Display(args.json, args.quiet)).code
