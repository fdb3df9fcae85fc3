"""Whether teamgraph may go online: ``TEAMGRAPH_OFFLINE=1`` forbids every outbound attempt."""

from __future__ import annotations

import os

OFFLINE_ENV = "TEAMGRAPH_OFFLINE"


def is_offline() -> bool:
    """Whether ``TEAMGRAPH_OFFLINE`` is set to anything but empty or ``0``."""
    return os.environ.get(OFFLINE_ENV, "").strip() not in ("", "0")
