"""What ``teamgraph wait`` shows while a thread runs in another process.

The progress lines the run writes to its log (a detached run's ``TEAMGRAPH_HOME/logs/``)
as they come, and a line saying how long it has been waited for. The run's last words
there (its usage table and the ``stopped:`` line) are left to ``wait``, which prints
them under the result as the run would have. A log left by an earlier
run of the thread is not shown: with a lock file, a log is the current run's once it was
written after the lock was taken; with the lock in a database, only lines written while
waiting are shown.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console, RenderableType
from rich.spinner import Spinner

from graphs.common.live import LiveView

LAST_WORDS = ("┏", "stopped:")
"""How the lines the run prints after its result begin (see ``print_result``)."""


class WaitView(LiveView):
    """The run's progress lines from its log, and a spinner with the time waited."""

    def __init__(
        self, console: Console, thread: str, log: Path, lock: Path | None, *, quiet: bool
    ) -> None:
        """Wait on ``thread``, following ``log`` (current if written since ``lock`` was taken)."""
        super().__init__(console, quiet=quiet)
        self.thread = thread
        self.log = log
        self.lock = lock
        self._offset: int | None = None if lock is not None else _size(log)
        self._partial = ""
        self._ended = False
        self.spinner = Spinner("dots")

    def renderable(self) -> RenderableType:
        """How long the thread has been waited for."""
        waited = time.monotonic() - self.started
        self.spinner.text = f"waiting for thread {self.thread} to finish  {waited:5.1f}s"
        return self.spinner

    def follow(self) -> None:
        """Print the lines the run's log got since the last call, up to the run's last words."""
        if self.quiet or self._ended:
            return
        if self._offset is None:
            if not self._current():
                return
            self._offset = 0
        try:
            with self.log.open("rb") as file:
                file.seek(self._offset)
                added = file.read()
        except OSError:
            return
        self._offset += len(added)
        text = self._partial + added.decode("utf-8", errors="replace")
        *lines, self._partial = text.split("\n")
        for line in lines:
            if line.startswith(LAST_WORDS):
                self._ended = True
                return
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def _current(self) -> bool:
        """Whether the log was written by the run that holds the thread now."""
        try:
            return self.lock is not None and self.log.stat().st_mtime >= self.lock.stat().st_mtime
        except OSError:
            return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
