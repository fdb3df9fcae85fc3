"""``teamgraph graphs``: list the teams and print each one's Mermaid diagram."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from rich.console import Console

from graphs import TEAMS
from tools.calculator import calculator


def add_parser(commands: Any) -> None:
    """Register the ``graphs`` command."""
    parser = commands.add_parser(
        "graphs", allow_abbrev=False, help="list the teams with their Mermaid diagrams"
    )
    parser.add_argument("team", nargs="?", choices=sorted(TEAMS), help="show only this team")
    parser.set_defaults(run=run)


def mermaid(team: str) -> str:
    """The Mermaid diagram of ``team``, built without loading any model or data."""
    module = importlib.import_module(f"graphs.{team}")
    roles = getattr(module, "ROLES", ())
    graph = module.build_graph(dict.fromkeys(roles, "local"), tools=[calculator])
    return str(graph.get_graph().draw_mermaid())


def run(args: argparse.Namespace, console: Console) -> int:
    """Print each team's name, description and diagram."""
    for team in [args.team] if args.team else sorted(TEAMS):
        print(f"## {team}\n\n{TEAMS[team]}\n\n```mermaid\n{mermaid(team).rstrip()}\n```\n")
    return 0
