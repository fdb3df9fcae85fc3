"""``teamgraph graphs``: list the teams and print each one's Mermaid diagram."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from graphs.cli.help import command
from graphs.cli.results import print_json
from graphs.registry import TEAMS


def add_parser(commands: Any) -> None:
    """Register the ``graphs`` command."""
    parser = command(
        commands,
        "graphs",
        description="Every team teamgraph has: its name, what it does and its graph.",
        examples=["teamgraph graphs", f"teamgraph graphs {next(iter(TEAMS))} --json"],
    )
    parser.add_argument("team", nargs="?", choices=sorted(TEAMS), help="show only this team")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Print each team's name, description, roles and diagram (Markdown, or JSON)."""
    from graphs.diagrams import mermaid

    names = [args.team] if args.team else list(TEAMS)
    if args.json:
        print_json(
            [
                {
                    "team": name,
                    "description": TEAMS[name].description,
                    "roles": list(TEAMS[name].roles),
                    "mermaid": mermaid(name),
                }
                for name in names
            ]
        )
        return 0
    for name in names:
        spec = TEAMS[name]
        print(f"## {name}\n\n{spec.description}\n\n```mermaid\n{mermaid(name).rstrip()}\n```\n")
    return 0
