"""``teamgraph write``: the Manager, Writer and Critic write a short piece on a topic."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from graphs.cli.exit_codes import EXIT_OK
from graphs.cli.flags import add_run_flags, add_server_flag, limits_from_flags, models_from_flags
from graphs.cli.help import HOME_ENV, MODEL_ENV, command
from graphs.writer import settings as writer
from tools.kernel.errors import InputError
from tools.kernel.files import check_writable, write_atomically


def add_parser(commands: Any) -> None:
    """Register the ``write`` command."""
    parser = command(
        commands,
        "write",
        description="The Manager plans the piece, the Writer drafts it, the Critic reviews "
        "it until it approves or the revision cap is reached, and the Manager judges the "
        "whole. The piece goes to stdout, progress to stderr.",
        examples=[
            'teamgraph write "why bees matter"',
            'teamgraph write "why bees matter" --critic-model openai:gpt-4o-mini -o bees.md',
        ],
        env={**MODEL_ENV, **HOME_ENV},
    )
    parser.add_argument("topic", help="what the piece is about")
    parser.add_argument(
        "--max-revisions",
        type=int,
        default=writer.DEFAULT_MAX_REVISIONS,
        help=f"most rewrites on the Critic's feedback (default {writer.DEFAULT_MAX_REVISIONS})",
    )
    parser.add_argument("-o", "--output", type=Path, help="also write the piece to this file")
    add_run_flags(parser, writer.ROLES, "keep the run's checkpoints on this thread")
    add_server_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the writer team and print the piece (or JSON); returns the exit status."""
    from graphs.cli.driver import Display, drive
    from graphs.cli.served import served_job
    from graphs.registry import team_spec
    from graphs.threads.jobs import build_job
    from graphs.threads.locks import hold_thread

    topic = args.topic.strip()
    if not topic:
        raise InputError(
            'The topic is empty: give a subject, e.g. teamgraph write "why bees matter".'
        )
    if args.max_revisions < 0:
        raise InputError("--max-revisions must be 0 or more.")
    if args.output is not None:
        check_writable(args.output)
    models = models_from_flags(args, writer.ROLES)
    settings = {"max_revisions": args.max_revisions, **limits_from_flags(args)}
    spec = team_spec("writer")
    with hold_thread(None if args.server else args.thread):
        if args.server:
            job = served_job(spec, models, settings, args.thread, args.server)
        else:
            job = build_job(spec, models, settings, args.thread)
        outcome = drive(job, spec.make_input(topic, ""), console, Display(args.json, args.quiet))
    if outcome.code == EXIT_OK and args.output is not None:
        write_atomically(args.output, spec.read_result(outcome.state)["text"] + "\n")
    return outcome.code
