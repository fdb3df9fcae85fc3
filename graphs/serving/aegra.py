"""What Aegra needs to serve the teams: its config file, its environment, its Python.

Aegra (``aegra-api``, Apache-2.0) serves a ``langgraph.json``-style config over the
Agent Protocol. It keeps its own tables and LangGraph's checkpoints in ``DATABASE_URL``
(here the threads' database, so the CLI and the server share threads); with Redis and
``REDIS_BROKER_ENABLED=true`` several instances share one job queue, and a run whose
worker died is queued again once its lease expires.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from graphs.registry import TEAMS
from tools.kernel.errors import TeamgraphError

SETUP = (
    "python3.12 -m venv .venv-serve && .venv-serve/bin/pip install -e '.[serve]' "
    "(or `make deploy-env`), then run .venv-serve/bin/teamgraph serve"
)
APP = "aegra_api.main:app"


def check_installed() -> None:
    """Refuse at once when this Python cannot run Aegra (it needs 3.12 and the serve extra)."""
    if sys.version_info < (3, 12):
        raise TeamgraphError(
            f"teamgraph serve runs Aegra, which needs Python 3.12 or newer (this is "
            f"{sys.version_info.major}.{sys.version_info.minor}): {SETUP}."
        )
    if importlib.util.find_spec("aegra_api") is None:
        raise TeamgraphError(f"teamgraph serve needs the serve extra, not installed here: {SETUP}.")


def project_root() -> Path:
    """The folder the ``graphs`` package lives in (the teams' files are found from it)."""
    return Path(__file__).resolve().parents[2]


def write_config(folder: Path) -> Path:
    """An ``aegra.json`` serving every team, by absolute paths (so any folder works)."""
    root = project_root()
    graphs = {}
    for name, spec in TEAMS.items():
        path, _, attribute = spec.graph_path.partition(":")
        graphs[name] = f"{root / path.removeprefix('./')}:{attribute}"
    config = folder / "aegra.json"
    config.write_text(json.dumps({"graphs": graphs, "dependencies": [str(root)]}, indent=2))
    return config


def environment(
    base: Mapping[str, str],
    config: Path,
    database: str,
    redis: str | None,
    *,
    migrate: bool,
) -> dict[str, str]:
    """A worker's environment: the config, the database, the queue.

    ``migrate`` for the first worker only: instances starting at once on an empty database
    race on Aegra's migrations.
    """
    chosen = {
        **base,
        "AEGRA_CONFIG": str(config),
        "DATABASE_URL": database,
        "REDIS_BROKER_ENABLED": "true" if redis else "false",
        "RUN_MIGRATIONS_ON_STARTUP": "true" if migrate else "false",
    }
    if redis:
        chosen["REDIS_URL"] = redis
    chosen.setdefault("AEGRA_CHECKPOINT_DURABILITY", "sync")
    chosen.setdefault("LOG_LEVEL", "WARNING")
    return chosen
