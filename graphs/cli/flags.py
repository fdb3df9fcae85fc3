"""Flags shared by the commands that run a team, and what they become: models and settings."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from rich.console import Console

from agents.llm.ledger import Limits
from agents.llm.models import check_model_spec
from tools.kernel.config import resolve
from tools.kernel.errors import InputError
from tools.registry import Toolbox


def add_model_flags(parser: argparse.ArgumentParser, roles: Iterable[str]) -> None:
    """``--model`` for every role and ``--<role>-model`` for each one."""
    parser.add_argument(
        "--model",
        help="model for every role: provider:model or local (default: TEAMGRAPH_MODEL, "
        "else the embedded model)",
    )
    for role in dict.fromkeys(roles):
        parser.add_argument(f"--{role}-model", help=f"model of the {role} (overrides --model)")


def models_from_flags(args: argparse.Namespace, roles: Iterable[str]) -> dict[str, str | None]:
    """Role -> its flag, else ``--model``, else None (the env/default precedence); checked now."""
    chosen = {role: getattr(args, f"{role}_model", None) or args.model for role in roles}
    for setting in chosen.values():
        if setting:
            check_model_spec(setting)
    return chosen


def add_limit_flags(parser: argparse.ArgumentParser) -> None:
    """``--max-calls`` and ``--max-tokens-total``: limits for the whole run."""
    parser.add_argument(
        "--max-calls", type=int, help="most model calls in this run, all roles (default: no limit)"
    )
    parser.add_argument(
        "--max-tokens-total",
        type=int,
        help="most tokens (input + output) in this run (default: no limit)",
    )


LIMITS = ("max_calls", "max_tokens_total")


def _check_flags(args: argparse.Namespace) -> None:
    """Refuse a limit flag below 1, naming the flag (env and file values are checked on read)."""
    for name in LIMITS:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise InputError(
                f"--{name.replace('_', '-')} must be 1 or more (got {value}); leave it out "
                "for no limit."
            )


def given_limits(args: argparse.Namespace) -> dict[str, Any]:
    """The limits given on the command line (only those given), checked now."""
    _check_flags(args)
    limits = {name: getattr(args, name) for name in LIMITS if getattr(args, name, None) is not None}
    Limits(**limits)
    return limits


def limits_from_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The run's limits: each from its flag, else env, else the project file; checked now."""
    _check_flags(args)
    chosen = {name: resolve(name, getattr(args, name, None)).value for name in LIMITS}
    limits = {name: value for name, value in chosen.items() if value is not None}
    Limits(**limits)
    return limits


def add_tool_flags(parser: argparse.ArgumentParser) -> None:
    """``--tools`` and ``--mcp``: the tools of a team that uses tools."""
    parser.add_argument(
        "--tools",
        action="append",
        metavar="NAME,...",
        help="tools instead of the default ones: default, knowledge_base, wikipedia, "
        "web_search, calculator, a community tool (arxiv, pubmed, ...) or package.module:attr",
    )
    parser.add_argument(
        "--mcp",
        metavar="FILE",
        help='MCP servers file ({"mcpServers": {...}}) whose tools are added',
    )


def tools_from_flags(args: argparse.Namespace) -> list[str] | None:
    """The tool names of ``--tools`` (commas or repeats), or None when it is not given."""
    given = getattr(args, "tools", None)
    if not given:
        return None
    names = [name.strip() for value in given for name in value.split(",") if name.strip()]
    if not names:
        raise InputError("--tools names no tool: e.g. --tools calculator,arxiv")
    return names


def print_notes(box: Toolbox, console: Console, quiet: bool) -> None:
    """Say which tools were left out, and why."""
    if not quiet:
        for note in box.notes:
            console.print(f"[dim]note: {note}[/dim]", highlight=False)


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    """``--json`` and ``--quiet``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def add_run_flags(parser: argparse.ArgumentParser, roles: Iterable[str], thread_help: str) -> None:
    """Everything a command that runs a team takes: models, thread, limits, output."""
    add_model_flags(parser, roles)
    parser.add_argument("--thread", help=thread_help)
    add_limit_flags(parser)
    add_output_flags(parser)
