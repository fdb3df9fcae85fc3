"""A command ends without Python's last collection of everything the process holds."""

from __future__ import annotations

import atexit
import gc


def no_collection_at_exit() -> None:
    """Spare the process its last collection of everything it holds (0.4-1 s after a team ran).

    As it exits, Python collects the whole heap once more, walking every object the modules
    loaded, though they live to the end. The heap is frozen at exit instead, after the exit
    handlers registered later have run; files, streams and exit handlers are flushed, closed
    and run as before.
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
