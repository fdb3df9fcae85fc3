"""Flags shared by the commands that run a team, and what they become: models and settings."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from agents.llm.ledger import Limits
from agents.llm.models import check_model_spec


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


def limits_from_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The limits given on the command line (only those given), checked now."""
    limits = {
        name: getattr(args, name)
        for name in ("max_calls", "max_tokens_total")
        if getattr(args, name, None) is not None
    }
    Limits(**limits)
    return limits


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
