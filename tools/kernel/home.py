"""Where teamgraph keeps its data: ``TEAMGRAPH_HOME`` (default ``~/.teamgraph``)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tools.kernel.errors import TeamgraphError
from tools.kernel.files import make_folder


def home_path() -> Path:
    """The data directory as set (``TEAMGRAPH_HOME``, else the default), not yet checked."""
    raw = os.environ.get("TEAMGRAPH_HOME", "").strip()
    return Path(raw).expanduser() if raw else Path.home() / ".teamgraph"


def teamgraph_home() -> Path:
    """The data directory, created if missing; a clear error if it cannot be written."""
    home = home_path()
    if home.exists() and not home.is_dir():
        raise TeamgraphError(
            f"{home} is a file, not a folder: set TEAMGRAPH_HOME to a folder (it is made if "
            "missing)."
        )
    make_folder(
        home,
        lambda why: TeamgraphError(
            f"Cannot create the data folder {home} ({why}): set TEAMGRAPH_HOME to a folder you "
            "can write to."
        ),
    )
    if not os.access(home, os.W_OK):
        raise read_only(home)
    return home


FULL_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def full_disk(where: Path | str | None) -> TeamgraphError:
    """The error for a write refused because the disk (or the user's quota) is full."""
    place = f"holding {where} " if where else ""
    return TeamgraphError(
        f"The disk {place}is full: free some space, or set TEAMGRAPH_HOME to a folder on "
        "another disk."
    )


def read_only(home: Path) -> TeamgraphError:
    """The error for a data folder that cannot be written."""
    return TeamgraphError(
        f"The data folder {home} is read-only: make it writable, or set TEAMGRAPH_HOME to "
        "a folder you can write to."
    )
