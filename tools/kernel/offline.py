"""Offline mode: with ``TEAMGRAPH_OFFLINE`` set (to anything but 0), no tool goes online."""

from __future__ import annotations

import os

OFFLINE_ENV = "TEAMGRAPH_OFFLINE"


def is_offline() -> bool:
    """Whether offline mode is on: no tool makes any outbound attempt."""
    return os.environ.get(OFFLINE_ENV, "").strip() not in ("", "0")
