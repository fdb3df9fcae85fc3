"""The ``teamgraph`` command line."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import traceback
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.markup import escape

from graphs.cli.commands import COMMANDS
from graphs.cli.exit_codes import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE
from graphs.cli.heap import hold_collection, no_collection_at_exit
from tools.kernel.config import project_config
from tools.kernel.errors import TeamFileError, TeamgraphError
from tools.kernel.home import FULL_DISK_ERRNOS, full_disk, home_path
from tools.kernel.spelling import did_you_mean

ENV_FILE = Path(".env")
ENV_FILE_LOADED = [False]
"""Set by :func:`main` when it loaded ``./.env`` (``doctor`` says so)."""

EXIT_CODES = """exit codes:
  0    finished
  1    error (bad input, a model or file that cannot be used)
  2    usage (unknown command or flag, a team file that cannot be used)
  3    waiting for a person (an approval, a rating): answer with teamgraph resume --answer
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (as in teamgraph threads | head)"""


def package_version() -> str:
    """The installed version of the ``teamgraph`` distribution."""
    try:
        return version("teamgraph")
    except PackageNotFoundError:
        return "unknown (not installed)"


INVALID_CHOICE = re.compile(r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)$")


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose refusal of a choice (a command, a team) names the closest."""

    def error(self, message: str) -> NoReturn:
        """Exit 2 with ``message``, plus the closest choice to one that is not known."""
        found = INVALID_CHOICE.search(message)
        if found:
            choices = [choice.strip(" '") for choice in found["choices"].split(",")]
            message += did_you_mean(found["given"], choices)
        super().error(message)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``argv``, only the command it names is built in full.

    Every other command is listed by its name and summary (:data:`COMMANDS`) without
    importing its module, so a command (or its argument error) loads only its own flags.
    """
    parser = Parser(
        prog="teamgraph",
        allow_abbrev=False,
        description="Teams of AI agents as LangGraph state machines, offline by default.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"teamgraph {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    given = next((word for word in argv or [] if not word.startswith("-")), None)
    for name, (module, summary) in COMMANDS.items():
        if argv is None or name == given:
            import_module(f"graphs.cli.{module}").add_parser(commands)
        else:
            commands.add_parser(name, help=summary, add_help=False)
    return parser


SAME_MEANING = {
    "rounds": ("revisions", "steps"),
    "iterations": ("revisions", "steps"),
    "loops": ("revisions", "steps"),
    "cycles": ("revisions", "steps"),
    "turns": ("steps",),
    "subtasks": ("tasks",),
    "tokens": ("tokens-total",),
}
"""Words of a flag a user may mean by another name, and the names our flags use."""


def flag_meant(word: str, flags: list[str]) -> str | None:
    """The command's flag ``word`` means when one of its words is said another way."""
    parts = word.split("-")
    for at, part in enumerate(parts):
        for other in SAME_MEANING.get(part, ()):
            meant = "-".join([*parts[:at], other, *parts[at + 1 :]])
            if meant in flags:
                return meant
    return None


def closest_flag(word: str, flags: list[str]) -> str | None:
    """The flag a mistyped ``word`` means: its words said our way, else the nearest spelling."""
    asked = word.split("=")[0]
    spelt = difflib.get_close_matches(asked, flags, n=1)
    return flag_meant(asked, flags) or (spelt[0] if spelt else None)


REQUEST_WORDS = {"topic", "question", "request"}
"""The arguments of commands that take a request in words."""


def refuse_unknown(
    parser: argparse.ArgumentParser, args: argparse.Namespace, unknown: list[str]
) -> None:
    """Exit 2 naming the command's usage and, for a mistyped flag, the flag it is closest to."""
    commands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    command = commands[0].choices.get(args.command, parser) if commands else parser
    flags = [flag for action in command._actions for flag in action.option_strings]
    closest = (closest_flag(word, flags) for word in unknown if word.startswith("--"))
    hint = next((f" (did you mean {flag}?)" for flag in closest if flag), "")
    if not hint and not any(word.startswith("-") for word in unknown):
        takes = {action.dest for action in command._actions if not action.option_strings}
        hint = (
            " (a request of several words goes in quotes)"
            if takes & REQUEST_WORDS
            else f" (see `teamgraph {args.command} --help` for what it takes)"
        )
    command.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")


def load_env_file(path: Path = ENV_FILE) -> bool:
    """Load ``path`` (``./.env``) into the environment; variables already set win."""
    if not path.is_file():
        return False
    from dotenv import load_dotenv

    return bool(load_dotenv(path, override=False))


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors end in a one-line message and a non-zero status."""
    words = sys.argv[1:] if argv is None else argv
    if words == ["--version"]:
        print(f"teamgraph {package_version()}")
        raise SystemExit(0)  # as argparse's version action does, without building every command
    if argv is None:
        hold_collection()
    no_collection_at_exit()
    parser = build_parser(words)
    args, unknown = parser.parse_known_args(words)
    if unknown:
        refuse_unknown(parser, args, unknown)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    console = Console(stderr=True)
    try:
        ENV_FILE_LOADED[0] = load_env_file()
        if args.command != "doctor":
            project_config().check()
        if getattr(args, "detach", False):
            from graphs.cli.detach import start_detached

            return start_detached(list(words), args, console)
        return int(args.run(args, console))
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_gone()
    except Exception as raised:
        error = worded(raised)
        if getattr(args, "json", False):
            _print_json_error(args, error)
        if not isinstance(error, TeamgraphError):
            return _unexpected(error, console)
        said = escape(error.said())
        console.print(f"[bold red]error:[/bold red] {said}", highlight=False, soft_wrap=True)
        return EXIT_USAGE if isinstance(error, TeamFileError) else EXIT_ERROR


def _print_json_error(args: argparse.Namespace, error: Exception) -> None:
    """With ``--json``, the error as a JSON object on stdout too (a run's with its thread)."""
    from graphs.cli.results import print_error, print_failure

    if hasattr(args, "max_calls"):
        print_failure(error, getattr(args, "thread", None), {})
    else:
        print_error(error)


def _reader_gone() -> int:
    """Stop quietly when the output's reader closed the pipe, as ``head`` does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def worded(error: Exception) -> Exception:
    """``error`` as a person should read it: a full disk or a lost database said plainly."""
    if isinstance(error, OSError) and error.errno in FULL_DISK_ERRNOS:
        return full_disk(error.filename or home_path())
    from graphs.threads.location import CHECKPOINT_URL_ENV
    from graphs.threads.postgres_errors import is_database_error, lost_database

    if is_database_error(error) and (url := os.environ.get(CHECKPOINT_URL_ENV, "").strip()):
        return lost_database(url, error, None)
    return error


def _unexpected(error: Exception, console: Console) -> int:
    """An error teamgraph did not foresee: one line, the traceback only on request."""
    if os.environ.get("TEAMGRAPH_DEBUG"):
        traceback.print_exc()
    console.print(
        f"[bold red]error:[/bold red] unexpected {type(error).__name__}: {escape(str(error))} "
        "(set TEAMGRAPH_DEBUG=1 to see the traceback)",
        highlight=False,
        soft_wrap=True,
    )
    return EXIT_ERROR
