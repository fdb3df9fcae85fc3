"""The ``teamgraph`` command line."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version

from rich.console import Console

from agents.errors import TeamgraphError
from graphs.cli import ask, evaluate, ingest, resume, run, teams, write

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def package_version() -> str:
    """The installed version of the ``teamgraph`` distribution."""
    try:
        return version("teamgraph")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="teamgraph",
        allow_abbrev=False,
        description="Teams of AI agents as LangGraph state machines, offline by default.",
    )
    parser.add_argument("--version", action="version", version=f"teamgraph {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    write.add_parser(commands)
    ask.add_parser(commands)
    ingest.add_parser(commands)
    run.add_parser(commands)
    resume.add_parsers(commands)
    evaluate.add_parser(commands)
    teams.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors end in a one-line message and a non-zero status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    console = Console(stderr=True)
    try:
        return int(args.run(args, console))
    except TeamgraphError as error:
        console.print(f"[bold red]error:[/bold red] {error}", highlight=False, soft_wrap=True)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]")
        return EXIT_INTERRUPTED
    except Exception as error:
        if os.environ.get("TEAMGRAPH_DEBUG"):
            traceback.print_exc()
        console.print(
            f"[bold red]error:[/bold red] unexpected {type(error).__name__}: {error} "
            "(set TEAMGRAPH_DEBUG=1 to see the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_FAILURE
