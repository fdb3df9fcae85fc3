"""Fewer garbage collections in a command: what it loads lives as long as the process.

A full collection walks every object the process holds: 0.1-0.2 s once a team and its
provider are loaded, and more at exit, where Python collects everything once more. The
modules' objects live to the end, so walking them finds nothing.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """Import without collecting: importing makes objects that live as long as the process."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def loaded_set_aside() -> Iterator[None]:
    """Leave every object loaded so far out of the collections while the body runs.

    Afterwards they are collected as usual again: a process that runs many commands (the
    tests) keeps nothing it would otherwise have freed.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def no_collection_at_exit() -> None:
    """Spare the process its last collection of everything it holds (0.4-1 s after a team ran).

    The heap is frozen at exit, after the exit handlers registered later have run; files,
    streams and exit handlers are flushed, closed and run as before.
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
