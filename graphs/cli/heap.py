"""How a command's process spends on garbage collection: not while it sets up, not at exit.

A command first loads its modules and builds its team: hundreds of thousands of objects
that live to the end. Python's collector would walk them again and again as they are
made (about 15% of the set-up). A process running its own command holds the collector
until the set-up is done, then freezes what the set-up built, so that later collections
walk only what the work makes; at exit it skips the last walk of the whole heap.
Commands called from other code (tests, notebooks) leave the collector alone.
"""

from __future__ import annotations

import atexit
import gc

_held = [False]


def hold_collection() -> None:
    """Collect nothing until :func:`set_up_done`: for a process running its own command."""
    if gc.isenabled():
        gc.disable()
        _held[0] = True


def set_up_done() -> None:
    """The set-up is built: freeze it out of later collections and collect from here on.

    Does nothing unless :func:`hold_collection` held the collector; a second call does
    nothing either. The few cycles dropped during the set-up stay until exit.
    """
    if _held[0]:
        _held[0] = False
        gc.freeze()
        gc.enable()


def no_collection_at_exit() -> None:
    """Spare the process its last collection of everything it holds (0.4-1 s after a team ran).

    As it exits, Python collects the whole heap once more, walking every object the modules
    loaded, though they live to the end. The heap is frozen at exit instead, after the exit
    handlers registered later have run; files, streams and exit handlers are flushed, closed
    and run as before.
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
