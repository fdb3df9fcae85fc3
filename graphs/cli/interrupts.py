"""Ctrl-C stops a command at once: it says what was kept and how to go on, then exits 130.

A run's finished steps are already saved (each step is checkpointed before the next one
starts), so nothing is lost by not waiting for the model calls still in flight.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator

from rich.console import Console

from graphs.cli.exit_codes import EXIT_INTERRUPTED
from graphs.common.live import stop_live_displays
from tools.kernel.urls import masked


@contextlib.contextmanager
def stop_at_once(console: Console, farewell: Callable[[], str]) -> Iterator[None]:
    """While the block runs, Ctrl-C prints ``farewell()`` and ends the process (exit 130)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_interrupt(signum: int, frame: object) -> None:
        try:
            stop_live_displays()
            console.print(f"\n[yellow]interrupted:[/yellow] {farewell()}", highlight=False)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def resume_command(thread: str | None, server: str | None = None) -> str:
    """The command that resumes ``thread``, on ``server`` if it runs there (password hidden)."""
    there = f" --server {masked(server)}" if server else ""
    return f"teamgraph resume --thread {thread}{there}"


def resume_hint(thread: str | None, server: str | None = None) -> str:
    """What Ctrl-C kept of a team run, and how to finish it."""
    if server:
        return f"the run goes on on the server; follow it with: {resume_command(thread, server)}"
    if thread:
        return (
            f"the finished steps are kept on thread {thread}; finish the run with: "
            f"{resume_command(thread)}"
        )
    return "nothing was kept; run it with --thread NAME to be able to resume it"
