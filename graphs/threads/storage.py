"""Persistence of threads: SQLite checkpoints and a store in TEAMGRAPH_HOME, a thread per id."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphs.common.spec import TeamSource
from graphs.threads import postgres
from graphs.threads.location import checkpoint_url
from tools.kernel import strict_json
from tools.kernel.errors import TeamgraphError
from tools.kernel.home import full_disk, read_only, teamgraph_home

if TYPE_CHECKING:
    from langchain_core.runnables import RunnableConfig

CHECKPOINTS_FILE = "checkpoints.sqlite"
LOCK_WAIT_S = 5.0
"""How long to wait for another process's write lock on the checkpoint file."""


def checkpoints_path() -> Path:
    """Where the checkpoints of threads live."""
    return teamgraph_home() / CHECKPOINTS_FILE


def open_checkpointer(path: Path | None = None) -> Any:
    """A SqliteSaver on ``path`` (default: TEAMGRAPH_HOME/checkpoints.sqlite).

    Without ``path``, the PostgresSaver of TEAMGRAPH_CHECKPOINT_URL when it is set.
    """
    url = None if path else checkpoint_url()
    if url:
        return postgres.open_checkpointer(url)
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = path or checkpoints_path()
    try:
        connection = sqlite3.connect(str(path), check_same_thread=False, timeout=LOCK_WAIT_S)
        _check_integrity(connection)
        saver = SqliteSaver(connection)
        saver.setup()
        connection.execute("BEGIN IMMEDIATE")
        connection.rollback()
    except sqlite3.OperationalError as error:
        if "full" in str(error):
            raise full_disk(path) from error
        if "readonly" in str(error) or not os.access(path.parent, os.W_OK):
            raise read_only(path.parent) from error
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


def _check_integrity(connection: sqlite3.Connection) -> None:
    """Refuse a file whose pages are damaged, before anything is written into it."""
    problems = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError("; ".join(" ".join(str(p).split()) for p in problems))


def check_checkpoint_file(path: Path) -> None:
    """Raise TeamgraphError if the checkpoint file at ``path`` is damaged (read only)."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            _check_integrity(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise _unusable(path, error) from error


def _unusable(path: Path, error: sqlite3.DatabaseError) -> TeamgraphError:
    return TeamgraphError(
        f"Cannot use the checkpoint file {path}: {error}. Move it aside (it may be "
        "corrupt) or set TEAMGRAPH_HOME to another folder."
    )


def open_store(path: Path | None = None) -> Any:
    """A SqliteStore beside the checkpoints (it keeps every run's model calls).

    Without ``path``, the PostgresStore of TEAMGRAPH_CHECKPOINT_URL when it is set.
    """
    url = None if path else checkpoint_url()
    if url:
        return postgres.open_store(url)
    from langgraph.store.sqlite import SqliteStore

    path = path or checkpoints_path()
    try:
        connection = sqlite3.connect(
            str(path), check_same_thread=False, timeout=LOCK_WAIT_S, isolation_level=None
        )
        store = SqliteStore(connection)
        store.setup()
    except sqlite3.DatabaseError as error:
        if "full" in str(error):
            raise full_disk(path) from error
        raise _unusable(path, error) from error
    return store


@dataclass(frozen=True)
class SavedRun:
    """How a thread's run was started: its team, models and settings."""

    team: str
    models: dict[str, Any]
    settings: dict[str, Any]
    tools: dict[str, Any] = field(default_factory=dict)
    """How its toolbox was asked for (``--tools``, ``--mcp``, ``--collection``)."""
    source: TeamSource | None = None
    """The team file its team was read from (None for a team written in Python)."""


def thread_config(thread: str | None, saved: SavedRun | None = None) -> RunnableConfig:
    """The run config for ``thread`` (empty when no thread is used).

    The team (and the team file it was read from), models and settings go into every
    checkpoint's metadata, so that ``teamgraph resume`` finishes the run as it was started.
    """
    config: RunnableConfig = {"configurable": {"thread_id": thread}} if thread else {}
    if saved is not None:
        config["metadata"] = {
            "teamgraph_team": saved.team,
            "teamgraph_models": strict_json.dumps(saved.models, sort_keys=True),
            "teamgraph_settings": strict_json.dumps(saved.settings, sort_keys=True),
            "teamgraph_tools": strict_json.dumps(saved.tools, sort_keys=True),
        }
        if saved.source is not None:
            config["metadata"]["teamgraph_team_file"] = saved.source.path
            config["metadata"]["teamgraph_team_file_sha256"] = saved.source.sha256
    return config


def saved_run(saver: Any, thread: str) -> SavedRun | None:
    """How ``thread``'s run was started (None if the thread is unknown)."""
    latest = saver.get_tuple({"configurable": {"thread_id": thread}})
    if latest is None:
        return None
    metadata = latest.metadata or {}
    path = metadata.get("teamgraph_team_file")
    source = (
        TeamSource(str(path), str(metadata.get("teamgraph_team_file_sha256"))) if path else None
    )
    return SavedRun(
        team=str(metadata.get("teamgraph_team") or "team"),
        models=json.loads(str(metadata.get("teamgraph_models") or "{}")),
        settings=json.loads(str(metadata.get("teamgraph_settings") or "{}")),
        tools=json.loads(str(metadata.get("teamgraph_tools") or "{}")),
        source=source,
    )
