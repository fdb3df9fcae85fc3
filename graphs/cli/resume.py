"""``teamgraph resume``: finish a thread's run from its last checkpoint, or answer its approval."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.console import Console

from graphs.cli.exit_codes import EXIT_OK, EXIT_USAGE
from graphs.cli.flags import (
    ModelFlag,
    add_limit_flags,
    add_output_flags,
    add_server_flag,
    given_limits,
    models_from_flags,
)
from graphs.cli.help import HOME_ENV, MODEL_ENV, command
from tools.kernel.errors import InputError

if TYPE_CHECKING:
    from graphs.threads.jobs import Job
    from graphs.threads.storage import SavedRun


def add_parser(commands: Any) -> None:
    """Register ``resume``."""
    parser = command(
        commands,
        "resume",
        description="Runs the thread's own team from its last finished step, with the models, "
        "settings and limits it was started with (models and limits given here replace "
        "them). A run waiting for a person takes the answer given with --answer.",
        examples=[
            "teamgraph resume report-1",
            "teamgraph resume --thread report-1 --answer approve",
        ],
        env={**MODEL_ENV, **HOME_ENV},
    )
    parser.add_argument(
        "named", nargs="?", metavar="THREAD", help="the thread to resume (or --thread THREAD)"
    )
    parser.add_argument("--thread", help="the thread to resume")
    parser.add_argument("--answer", help="answer a pending approval: approve, or a JSON object")
    parser.add_argument(
        "--stream-tokens", action="store_true", help="show model tokens as they are written"
    )
    parser.add_argument(
        "--model",
        action=ModelFlag,
        metavar="[ROLE=]MODEL",
        help="replace the model of every role, or ROLE=MODEL of one (repeatable): "
        "provider:model or local (default: the thread's own)",
    )
    add_limit_flags(parser)
    add_output_flags(parser)
    add_server_flag(parser)
    parser.set_defaults(run=run, role_models={})


def run(args: argparse.Namespace, console: Console) -> int:
    """Continue the thread's run with its own team, answering its approval if given."""
    thread = _thread(args)
    if thread is None:
        console.print(
            "[bold red]error:[/bold red] resume needs a thread: `teamgraph resume THREAD` "
            "(`teamgraph threads` lists them).",
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_USAGE
    args.thread = thread
    from graphs.cli.served import served_resume_job
    from graphs.threads.jobs import resume_job
    from graphs.threads.locks import hold_thread
    from graphs.threads.storage import SavedRun, open_checkpointer, saved_run

    limits = given_limits(args)
    if args.server:
        if limits or args.model or args.role_models:
            raise InputError(
                "A served thread keeps the models and limits it was started with: leave out "
                "--model, --max-calls and --max-tokens-total with --server."
            )
        job = served_resume_job(args.thread, args.server)
        return _resume(job, SavedRun(job.spec.name, {}, dict(job.settings)), {}, args, console)
    with hold_thread(args.thread):
        saved = saved_run(open_checkpointer(), args.thread)
        if saved is None:
            raise InputError(
                f"No thread {args.thread!r} to resume: `teamgraph threads` lists the known ones."
            )
        models = replaced_models(args, saved)
        job = resume_job(saved, args.thread, limits, models)
        return _resume(job, saved, limits, args, console)


def replaced_models(args: argparse.Namespace, saved: SavedRun) -> dict[str, str]:
    """The models ``--model`` gives the thread's roles (checked now), by role."""
    if not args.model and not args.role_models:
        return {}
    from graphs.threads.jobs import known_team

    roles = known_team(saved.team, args.thread, saved.source).roles
    return {role: model for role, model in models_from_flags(args, roles).items() if model}


def _thread(args: argparse.Namespace) -> str | None:
    """The thread named as ``THREAD`` or with ``--thread`` (InputError if both, and unalike)."""
    if args.named and args.thread and args.named != args.thread:
        raise InputError(
            f"Two threads given ({args.named!r} and --thread {args.thread!r}): give one."
        )
    found: str | None = args.thread or args.named
    return found


def _resume(
    job: Job, saved: SavedRun, limits: dict[str, Any], args: argparse.Namespace, console: Console
) -> int:
    from langgraph.types import Command

    from graphs.cli.approvals import parse_answer
    from graphs.cli.driver import Display, drive
    from graphs.cli.results import print_result
    from graphs.threads.timeline import request_seconds

    snapshot = job.graph.get_state(job.config)
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
        print_result(
            job.spec,
            dict(snapshot.values),
            request_seconds(job.graph, job.config) or 0.0,
            console,
            as_json=args.json,
            quiet=args.quiet,
            thread=args.thread,
        )
        return EXIT_OK
    if limits:
        _apply_limits(job, dict(snapshot.values), {**saved.settings, **limits})
    payload: Command[Any] | None = Command(resume=answer) if answer is not None else None
    display = Display(args.json, args.quiet, args.stream_tokens)
    return drive(job, payload, console, display).code


def _apply_limits(job: Job, values: dict[str, Any], settings: dict[str, Any]) -> None:
    """Give the run's ledger the limits named on this resume."""
    from agents.llm.ledger import Limits
    from graphs.common.run import open_ledger

    run = values.get("run")
    if not run:
        return
    ledger = open_ledger(run, job.graph.store, values.get("usage"))
    ledger.limits = Limits(settings.get("max_calls"), settings.get("max_tokens_total"))
