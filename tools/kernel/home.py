"""Where teamgraph keeps its data: ``TEAMGRAPH_HOME`` (default ``~/.teamgraph``)."""

from __future__ import annotations

import os
from pathlib import Path


def teamgraph_home() -> Path:
    """The data directory, created if missing."""
    raw = os.environ.get("TEAMGRAPH_HOME", "").strip()
    home = Path(raw).expanduser() if raw else Path.home() / ".teamgraph"
    home.mkdir(parents=True, exist_ok=True)
    return home
