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


def checkpoints_path() -> Path:
    """Where the CLI's checkpoints live."""
    return teamgraph_home() / CHECKPOINTS_FILE


def open_checkpointer(path: Path | None = None) -> Any:
    """A SqliteSaver on ``path`` (default: TEAMGRAPH_HOME/checkpoints.sqlite)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = path or checkpoints_path()
    try:
        connection = sqlite3.connect(str(path), check_same_thread=False)
        saver = SqliteSaver(connection)
        saver.setup()
    except sqlite3.DatabaseError as error:
        raise TeamgraphError(
            f"Cannot use the checkpoint file {path}: {error}. Move it aside (it may be "
            "corrupt or locked by another process) or set TEAMGRAPH_HOME to another folder."
        ) from error
    return saver


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
