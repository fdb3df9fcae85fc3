"""Persistence for the CLI: SQLite checkpoints under TEAMGRAPH_HOME, one thread per id."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from agents.errors import TeamgraphError
from tools.home import teamgraph_home

CHECKPOINTS_FILE = "checkpoints.sqlite"
LOCK_WAIT_S = 5.0
"""How long to wait for another process's write lock on the checkpoint file."""


def checkpoints_path() -> Path:
    """Where the CLI's checkpoints live."""
    return teamgraph_home() / CHECKPOINTS_FILE


def open_checkpointer(path: Path | None = None) -> Any:
    """A SqliteSaver on ``path`` (default: TEAMGRAPH_HOME/checkpoints.sqlite)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = path or checkpoints_path()
    try:
        connection = sqlite3.connect(str(path), check_same_thread=False, timeout=LOCK_WAIT_S)
        saver = SqliteSaver(connection)
        saver.setup()
        connection.execute("BEGIN IMMEDIATE")
        connection.rollback()
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise _unusable(path, error) from error
        raise TeamgraphError(
            f"The checkpoint file {path} is locked by another process (another teamgraph "
            "run?): wait until it ends, or set TEAMGRAPH_HOME to another folder. Nothing was "
            "run and nothing in the file was changed."
        ) from error
    except sqlite3.DatabaseError as error:
        raise _unusable(path, error) from error
    return saver


def _unusable(path: Path, error: sqlite3.DatabaseError) -> TeamgraphError:
    return TeamgraphError(
        f"Cannot use the checkpoint file {path}: {error}. Move it aside (it may be "
        "corrupt) or set TEAMGRAPH_HOME to another folder."
    )


def thread_config(
    thread: str | None, team: str | None = None, models: Any = None, auto_approve: bool = True
) -> RunnableConfig:
    """The run config for ``thread`` (empty when no thread is used).

    The team and the model settings go into every checkpoint's metadata, so that
    ``teamgraph resume`` can finish the run with the same models.
    """
    config = RunnableConfig(configurable={"thread_id": thread}) if thread else RunnableConfig()
    if team:
        config["metadata"] = {
            "teamgraph_team": team,
            "teamgraph_models": json.dumps(models or {}, sort_keys=True),
            "teamgraph_auto_approve": auto_approve,
        }
    return config


def saved_run(saver: Any, thread: str) -> tuple[Any, bool] | None:
    """The model settings and auto-approval a thread was started with (None if unknown)."""
    latest = saver.get_tuple(RunnableConfig(configurable={"thread_id": thread}))
    if latest is None:
        return None
    metadata = latest.metadata or {}
    models = json.loads(metadata.get("teamgraph_models") or "{}")
    return models, bool(metadata.get("teamgraph_auto_approve", True))
