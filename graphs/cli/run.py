"""``teamgraph run``: the Manager routes a request to the teams it needs and streams the work."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from rich.console import Console

from graphs.cli.flags import (
    add_run_flags,
    add_server_flag,
    add_tool_flags,
    check_role_models,
    limits_from_flags,
    models_from_flags,
    print_notes,
    refuse_local_flags,
    tools_from_flags,
)
from graphs.cli.help import HOME_ENV, MODEL_ENV, TOOLS_ENV, command
from graphs.team.roster import members as team_members
from tools.kernel.errors import InputError


def add_parser(commands: Any) -> None:
    """Register the ``run`` command."""
    members = team_members()
    stops = [spec.approval for spec in members.values() if spec.approval]
    parser = command(
        commands,
        "run",
        description=f"The Manager chooses the teams a request needs ({', '.join(members)}) and "
        "their order; each gets the last one's result; or, with --team-file, a team of your "
        "own runs it. The run lives on a thread: it stops for a person at each team's "
        "approval step (unless --auto-approve), and `teamgraph resume` finishes it after "
        "Ctrl-C or a crash; --detach runs it in the background.",
        examples=[
            'teamgraph run "Compare three streaming platforms" --auto-approve --max-calls 60',
            'teamgraph run --team-file launch-brief.yaml "A solar kettle" --detach',
        ],
        env={**MODEL_ENV, **TOOLS_ENV, **HOME_ENV},
    )
    parser.add_argument("request", help="what the team should do")
    parser.add_argument(
        "--team-file",
        metavar="FILE",
        help="run the team of this file (see `teamgraph new`) instead of the Manager's teams",
    )
    parser.add_argument(
        "--auto-approve",
        action="store_true",
        help=f"no approval stops ({', '.join(stops)})",
    )
    parser.add_argument(
        "--stream-tokens", action="store_true", help="show model tokens as they are written"
    )
    add_run_flags(
        parser,
        ("manager", *(role for member in members.values() for role in member.roles)),
        "thread id to keep and resume the run (default: a new one)",
    )
    add_tool_flags(parser)
    add_server_flag(parser)
    parser.set_defaults(run=run)


def models_for_run(args: argparse.Namespace) -> dict[str, Any]:
    """The Manager's model, and each member team's role models, from the flags."""
    members = team_members()
    check_role_models(args, ["manager", *(role for m in members.values() for role in m.roles)])
    chosen: dict[str, Any] = {
        "manager": models_from_flags(args, ("manager",), every_role=False)["manager"]
    }
    for name, member in members.items():
        chosen[name] = models_from_flags(args, member.roles, every_role=False)
    return chosen


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the team of teams on a thread (SQLite checkpoints) and print the result."""
    from graphs.cli.driver import Display, drive
    from graphs.cli.results import announce_thread
    from graphs.cli.served import served_job
    from graphs.cli.team_file_run import run_team_file
    from graphs.registry import team_spec
    from graphs.threads import jobs
    from graphs.threads.locks import hold_thread

    request = args.request.strip()
    if not request:
        raise InputError('The request is empty: e.g. teamgraph run "Write a short report on tea"')
    if args.team_file:
        if args.server:
            raise InputError(
                "--team-file runs the team in this process; a server runs the teams of its "
                "project. Leave out --server, or --team-file."
            )
        return run_team_file(args, request, console)
    settings = {"approve": not args.auto_approve, **limits_from_flags(args)}
    models = models_for_run(args)
    thread = args.thread or uuid.uuid4().hex[:12]
    display = Display(args.json, args.quiet, args.stream_tokens)
    if args.server:
        refuse_local_flags(args)
        job = served_job(team_spec("team"), models, settings, thread, args.server)
        announce_thread(console, thread, args.quiet or args.json, args.server)
        return drive(job, job.spec.make_input(request, ""), console, display).code
    box = jobs.toolbox(tools=tools_from_flags(args), mcp=args.mcp)
    print_notes(box, console, args.quiet or args.json)
    with hold_thread(thread):
        job = jobs.build_job(team_spec("team"), models, settings, thread, box)
        announce_thread(console, thread, args.quiet or args.json)
        return drive(job, job.spec.make_input(request, ""), console, display).code
