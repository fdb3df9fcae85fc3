"""What ``teamgraph doctor`` says of where threads and vectors live, passwords hidden."""

from __future__ import annotations

import os
from typing import Any

from graphs.cli.checks import Check
from graphs.threads import postgres
from graphs.threads.location import CHECKPOINT_URL_ENV, checkpoint_url
from graphs.threads.storage import CHECKPOINTS_FILE, check_checkpoint_file
from tools.chroma_server import CHROMA_URL_ENV, chroma_url, server_client
from tools.kernel.errors import TeamgraphError
from tools.kernel.home import teamgraph_home
from tools.kernel.urls import masked


def storage_rows() -> list[dict[str, Any]]:
    """The threads' database and the knowledge base: where each is, and what chose it."""
    vectors = chroma_url()
    return [
        _threads_row(),
        {
            "setting": "knowledge base",
            "value": masked(vectors) if vectors else "embedded Chroma in TEAMGRAPH_HOME",
            "source": f"env {CHROMA_URL_ENV}" if vectors else "default",
        },
    ]


def _threads_row() -> dict[str, Any]:
    """Where threads are kept; a URL that cannot be used is the row's error (as a setting's)."""
    try:
        threads = checkpoint_url()
    except TeamgraphError as error:
        return {"setting": "threads", "value": None, "source": f"error: {error}"}
    return {
        "setting": "threads",
        "value": masked(threads) if threads else "SQLite in TEAMGRAPH_HOME",
        "source": f"env {CHECKPOINT_URL_ENV}" if threads else "default",
    }


def storage_checks() -> list[Check]:
    """The data folder, then the threads' database and the knowledge base.

    Each server named is reached; the embedded checkpoint file, if there is one, is read.
    """
    try:
        home = teamgraph_home()
    except TeamgraphError as error:
        return [Check("data folder", "fail", str(error))]
    found = [Check("data folder", "ok", f"{home} (writable)")]
    named = bool(os.environ.get(CHECKPOINT_URL_ENV, "").strip())
    try:
        threads = checkpoint_url()
        if not threads and (home / CHECKPOINTS_FILE).is_file():
            check_checkpoint_file(home / CHECKPOINTS_FILE)
            found.append(Check("threads database", "ok", f"{home / CHECKPOINTS_FILE} reads whole"))
        if threads:
            with postgres.connect(threads) as connection:
                versions = postgres.schema_versions(connection)
            behind = any(theirs < ours for theirs, ours in versions.values())
            said = "reached; schema set up on first use" if behind else "reached; schema current"
            found.append(Check("threads database", "ok", f"{masked(threads)} {said}"))
    except TeamgraphError as error:
        fix = f"fix {CHECKPOINT_URL_ENV}" if named else ""
        found.append(Check("threads database", "fail", str(error), fix))
    vectors = chroma_url()
    if vectors:
        try:
            server_client(vectors)
            found.append(Check("knowledge base", "ok", f"{masked(vectors)} answers"))
        except TeamgraphError as error:
            found.append(Check("knowledge base", "fail", str(error), f"fix {CHROMA_URL_ENV}"))
    return found
