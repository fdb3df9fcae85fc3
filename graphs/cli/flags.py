"""Flags shared by the commands that run a team, and what they become: models and settings."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console

from agents.llm.ledger import Limits
from agents.llm.models import check_model_spec
from tools.kernel.config import resolve
from tools.kernel.errors import InputError
from tools.kernel.spelling import did_you_mean

if TYPE_CHECKING:
    from tools.built_in_tools import Toolbox

LOCAL_ONLY = ("tools", "mcp", "collection")
"""Flags that choose this machine's tools: a server uses the tools of its project file."""


class ModelFlag(argparse.Action):
    """``--model SETTING`` for every role, or ``--model ROLE=SETTING`` for one (repeatable)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        value: Any,
        option: str | None = None,
    ) -> None:
        """Keep a plain setting in ``model``, a role's in ``role_models``."""
        role, sep, setting = str(value).partition("=")
        if not sep:
            namespace.model = value
            return
        if not role.strip() or not setting.strip():
            parser.error(f"--model {value}: write ROLE=provider:model, e.g. critic=local")
        namespace.role_models = {**(namespace.role_models or {}), role.strip(): setting.strip()}


def add_model_flags(parser: argparse.ArgumentParser, roles: Iterable[str]) -> None:
    """``--model`` for every role (or ``ROLE=...`` for one) and ``--<role>-model`` for each."""
    parser.add_argument(
        "--model",
        action=ModelFlag,
        metavar="[ROLE=]MODEL",
        help="model for every role, or ROLE=MODEL for one (repeatable): provider:model or "
        "local (default: TEAMGRAPH_MODEL, else the embedded model)",
    )
    parser.set_defaults(role_models={})
    for role in dict.fromkeys(roles):
        parser.add_argument(f"--{role}-model", help=f"model of the {role} (overrides --model)")


def check_role_models(args: argparse.Namespace, roles: Iterable[str]) -> None:
    """Refuse ``--model ROLE=...`` for a role that is not one of ``roles``."""
    known = list(dict.fromkeys(roles))
    unknown = sorted(set(getattr(args, "role_models", {}) or {}) - set(known))
    if unknown:
        raise InputError(
            f"--model {unknown[0]}=...: there is no role {unknown[0]!r} here"
            f"{did_you_mean(unknown[0], known)}; the roles are {', '.join(known)}."
        )


def models_from_flags(
    args: argparse.Namespace, roles: Iterable[str], *, every_role: bool = True
) -> dict[str, str | None]:
    """Role -> its flag, else ``--model ROLE=``, else ``--model``, else None; checked now.

    None leaves the role to the env/default precedence. With ``every_role`` a
    ``--model ROLE=`` naming none of ``roles`` is refused.
    """
    roles = list(roles)
    if every_role:
        check_role_models(args, roles)
    by_role = getattr(args, "role_models", {}) or {}
    chosen = {
        role: getattr(args, f"{role}_model", None) or by_role.get(role) or args.model
        for role in roles
    }
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
    """Everything a command that runs a team takes: models, thread, limits, output, detach."""
    add_model_flags(parser, roles)
    parser.add_argument("--thread", help=thread_help)
    parser.add_argument(
        "--detach",
        action="store_true",
        help="run in the background: print the thread and return (then: teamgraph wait THREAD)",
    )
    add_limit_flags(parser)
    add_output_flags(parser)


def server_url(text: str) -> str:
    """``--server``'s value if it is an http(s) URL naming a host (its password never said)."""
    from tools.kernel.urls import NotHttpUrl, http_url_parts, masked

    wanted = "give the server's address, e.g. http://127.0.0.1:8123"
    try:
        http_url_parts(text.strip())
    except NotHttpUrl as lacking:
        raise argparse.ArgumentTypeError(f"{masked(text)!r} {lacking}: {wanted}") from None
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{masked(text)!r} is not a URL ({error}): {wanted}"
        ) from None
    return text.strip()


def add_server_flag(parser: argparse.ArgumentParser) -> None:
    """``--server URL``."""
    parser.add_argument(
        "--server",
        metavar="URL",
        type=server_url,
        help="run on the Agent Server at URL (teamgraph serve, langgraph dev, ...) instead "
        "of in this process",
    )


def refuse_local_flags(args: argparse.Namespace) -> None:
    """Refuse the flags a server cannot take (it chooses its own tools)."""
    given = [name for name in LOCAL_ONLY if getattr(args, name, None)]
    if given:
        flags = ", ".join(f"--{name}" for name in given)
        raise InputError(
            f"{flags} choose this machine's tools; with --server the server's project file "
            "chooses them. Leave them out, or run without --server."
        )
