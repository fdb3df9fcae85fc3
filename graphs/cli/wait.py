"""``teamgraph wait THREAD``: wait for a thread's run (a detached one) and print its result.

Exit codes as for a run: 0 done (the result printed), 1 failed (the error said), 3
waiting for a person (what to answer said), 130 stopped before it finished (say how to
resume it). Ctrl-C stops the waiting, not the run (exit code 130 too).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from rich.console import Console

from graphs.cli.exit_codes import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_WAITING
from graphs.cli.flags import add_output_flags
from graphs.cli.heap import set_up_done
from graphs.cli.help import HOME_ENV, command
from graphs.cli.interrupts import resume_hint
from tools.kernel.errors import InputError, TeamgraphError, unstopped

POLL_S = 0.25
"""How often the thread's lock is asked for while waiting."""


def add_parser(commands: Any) -> None:
    """Register ``wait``."""
    parser = command(
        commands,
        "wait",
        description="Waits while a process runs the thread (e.g. one started with --detach), "
        "then prints its result as the run would have: exit code 0 done, 1 failed, 3 "
        "waiting for a person, 130 stopped before it finished.",
        examples=["teamgraph wait report-1", "teamgraph wait report-1 --json"],
        env=HOME_ENV,
    )
    parser.add_argument("thread", help="the thread to wait for")
    add_output_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Wait until no process runs the thread, then print how it ended."""
    from graphs.cli.results import print_failure, print_pending, print_result
    from graphs.threads.jobs import resume_job
    from graphs.threads.listing import thread_status
    from graphs.threads.storage import open_checkpointer, saved_run
    from graphs.threads.timeline import request_seconds

    thread = args.thread
    saver = open_checkpointer()
    _refuse_unknown(saver, thread, args.json)
    set_up_done()
    try:
        _wait_while_running(thread, console, quiet=args.json or args.quiet)
    except KeyboardInterrupt:
        console.print(
            f"[yellow]stopped waiting:[/yellow] the run goes on in its own process; "
            f"`teamgraph wait {thread}` waits again, `teamgraph threads` shows it.",
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_INTERRUPTED
    saved = saved_run(saver, thread)
    if saved is None:
        raise InputError(f"Thread {thread!r} ended before its first step was saved.")
    status, error = thread_status(saver, saved.team, thread, source=saved.source)
    job = resume_job(saved, thread, {})
    snapshot = job.graph.get_state(job.config)
    if status == "waiting":
        print_pending(snapshot.interrupts[0].value, thread, console, args.json)
        return EXIT_WAITING
    if status == "failed":
        if args.json:
            print_failure(TeamgraphError(error), thread, dict(snapshot.values.get("usage") or {}))
        console.print(
            f"[bold red]thread {thread} failed:[/bold red] {unstopped(error)}. "
            f"`teamgraph resume {thread}` runs it again from the step that failed.",
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_ERROR
    if status == "interrupted":
        console.print(
            f"[yellow]thread {thread} stopped before it finished:[/yellow] {resume_hint(thread)}"
        )
        return EXIT_INTERRUPTED
    seconds = request_seconds(job.graph, job.config) or 0.0
    print_result(
        job.spec,
        dict(snapshot.values),
        seconds,
        console,
        as_json=args.json,
        quiet=args.quiet,
        thread=thread,
    )
    return EXIT_OK


def _refuse_unknown(saver: Any, thread: str, as_json: bool) -> None:
    """InputError (one JSON object first, with ``--json``) if no thread ``thread`` is known."""
    from graphs.cli.results import print_failure
    from graphs.threads.locks import is_running
    from graphs.threads.storage import saved_run

    if saved_run(saver, thread) is None and not is_running(thread):
        unknown = InputError(f"No thread {thread!r}: `teamgraph threads` lists the known ones.")
        if as_json:
            print_failure(unknown, thread, {})
        raise unknown


def _wait_while_running(thread: str, console: Console, *, quiet: bool) -> None:
    """Until no process runs ``thread``, showing the run's progress lines as they come.

    The lock is asked after every ``POLL_S``: held in a file or in the threads' database
    (with ``TEAMGRAPH_CHECKPOINT_URL``), it is the same question.
    """
    from graphs.cli.detach import log_paths
    from graphs.cli.views.waiting import WaitView
    from graphs.threads.location import checkpoint_url
    from graphs.threads.locks import is_running, lock_path

    lock = None if checkpoint_url() else lock_path(thread)
    with WaitView(console, thread, log_paths(thread)[1], lock, quiet=quiet) as view:
        while is_running(thread):
            view.follow()
            time.sleep(POLL_S)
        view.follow()
