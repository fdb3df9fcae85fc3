"""Where teamgraph keeps its data: ``TEAMGRAPH_HOME`` (default ``~/.teamgraph``)."""

from __future__ import annotations

import os
from pathlib import Path

from tools.kernel.errors import TeamgraphError


def teamgraph_home() -> Path:
    """The data directory, created if missing; a clear error if it cannot be written."""
    raw = os.environ.get("TEAMGRAPH_HOME", "").strip()
    home = Path(raw).expanduser() if raw else Path.home() / ".teamgraph"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TeamgraphError(
            f"Cannot create the data folder {home} ({error.strerror or error}): set "
            "TEAMGRAPH_HOME to a folder you can write to."
        ) from error
    if not os.access(home, os.W_OK):
        raise read_only(home)
    return home


def read_only(home: Path) -> TeamgraphError:
    """The error for a data folder that cannot be written."""
    return TeamgraphError(
        f"The data folder {home} is read-only: make it writable, or set TEAMGRAPH_HOME to "
        "a folder you can write to."
    )
