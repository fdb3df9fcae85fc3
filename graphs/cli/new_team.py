"""``teamgraph new NAME``: write a commented team file to start a team of your own from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from graphs.cli.help import command
from graphs.teamfile import load_team_file
from graphs.teamfile.schema import TEAM_NAME
from graphs.teamfile.shapes import SHAPES
from graphs.teamfile.templates import template
from tools.kernel.errors import InputError
from tools.kernel.files import check_writable, write_atomically


def team_name(text: str) -> str:
    """``text`` if it can name a team (argparse reports it otherwise)."""
    if not TEAM_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a team name: use lower-case letters, digits, - and _, "
            "e.g. launch-brief"
        )
    return text


def add_parser(commands: Any) -> None:
    """Register ``new``."""
    parser = command(
        commands,
        "new",
        description="Writes NAME.yaml: a team of roles in one of four shapes, each line "
        "commented. Check it with `teamgraph check`, run it with `teamgraph run --team-file`.",
        examples=["teamgraph new launch-brief", "teamgraph new critics --shape broadcast"],
    )
    parser.add_argument("name", type=team_name, help="the team's name (also the file's)")
    parser.add_argument(
        "--shape", choices=SHAPES, default="sequential", help="how the roles work together"
    )
    parser.add_argument("-o", "--output", type=Path, help="the file to write (default NAME.yaml)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Write the file (never over an existing one) and check it."""
    path: Path = args.output or Path(f"{args.name}.yaml")
    if path.exists():
        raise InputError(f"{path} exists already: choose another name, or -o another file.")
    check_writable(path)
    write_atomically(path, template(args.name, args.shape, str(path)))
    load_team_file(path)
    console.print(
        f"wrote {path}: check it with `teamgraph check {path}`, run it with "
        f'`teamgraph run --team-file {path} "REQUEST"`',
        highlight=False,
        soft_wrap=True,
    )
    return 0
