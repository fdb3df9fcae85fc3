"""``teamgraph run --team-file FILE``: run a team of your own, on a thread, like any team.

The file is read and checked first (a problem: one line, exit code 2, nothing run); its
team is registered, so ``threads``, ``resume`` and ``wait`` know it by its name, and the
thread keeps the file's path, so another process can read it again.
"""

from __future__ import annotations

import argparse
import uuid

from rich.console import Console

from graphs.cli.driver import Display, drive
from graphs.cli.flags import limits_from_flags, models_from_flags
from graphs.cli.results import announce_thread
from graphs.common.spec import TeamSpec
from graphs.registry import register
from graphs.teamfile import load_team_file, team_file_spec
from graphs.threads.jobs import build_job
from graphs.threads.locks import hold_thread
from tools.kernel.errors import InputError


def check_role_flags(args: argparse.Namespace, spec: TeamSpec) -> None:
    """Refuse a ``--<role>-model`` flag for a role the team does not have."""
    for name, value in sorted(vars(args).items()):
        role = name.removesuffix("_model")
        if value and name.endswith("_model") and name != "model" and role not in spec.roles:
            raise InputError(
                f"--{role.replace('_', '-')}-model: the {spec.name} team has no role {role!r}; "
                f"its roles are {', '.join(spec.roles)} (set one with --model ROLE=MODEL)."
            )


def run_team_file(args: argparse.Namespace, request: str, console: Console) -> int:
    """Run the team of ``--team-file`` on ``request`` and print its result."""
    spec = team_file_spec(load_team_file(args.team_file))
    if args.tools or args.mcp:
        raise InputError(
            "--tools and --mcp are for the Manager's teams: a team file names each role's "
            "tools (tools: [...] under the role)."
        )
    check_role_flags(args, spec)
    models = models_from_flags(args, spec.roles)
    settings = {"approve": not args.auto_approve, **limits_from_flags(args)}
    register(spec)
    thread = args.thread or uuid.uuid4().hex[:12]
    with hold_thread(thread):
        job = build_job(spec, models, settings, thread)
        announce_thread(console, thread, args.quiet or args.json)
        display = Display(args.json, args.quiet, args.stream_tokens)
        return drive(job, spec.make_input(request, ""), console, display).code
