"""Live progress of an evaluation: questions answered and at work, running scores, time left."""

from __future__ import annotations

import heapq
import statistics
import threading
import time
from collections.abc import Sequence

from rich.console import Console, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table

from graphs.common.live import LiveView
from graphs.evaluation.datasets import Question
from graphs.evaluation.runner import Row


def running_scores(rows: Sequence[Row]) -> str:
    """The mean token F1 of the team and of the baseline so far."""
    team = statistics.fmean(r["team"]["scores"]["f1"] for r in rows)
    baseline = statistics.fmean(r["baseline"]["scores"]["f1"] for r in rows)
    return f"mean F1: team {team:.2f}, single call {baseline:.2f}"


def clock(seconds: float) -> str:
    """``1m05s`` or ``42s``."""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def time_left(each: float, running: Sequence[float], waiting: int, slots: int) -> float:
    """Seconds until the last question is answered, if every question takes ``each``.

    ``running`` holds how long each question at work has been at it (one past ``each``
    is taken to end now, and the status then gives no estimate), ``waiting`` questions
    have not started, and ``slots`` are answered at once: each waiting question starts
    when a slot frees.
    """
    free = [max(0.0, each - elapsed) for elapsed in running]
    free += [0.0] * max(0, slots - len(free))
    heapq.heapify(free)
    end = max(free, default=0.0)
    for _ in range(waiting):
        ends = heapq.heappop(free) + each
        end = max(end, ends)
        heapq.heappush(free, ends)
    return end


class EvalProgress(LiveView):
    """A bar with the questions answered and at work, the running scores and the time left."""

    def __init__(
        self, console: Console, total: int, *, concurrency: int = 1, quiet: bool = False
    ) -> None:
        """Progress over ``total`` questions, ``concurrency`` answered at once."""
        super().__init__(console, quiet=quiet)
        self.total = total
        self.concurrency = max(1, concurrency)
        self.rows: list[Row] = []
        self.working = "starting"
        self.working_since = self.started
        self._at_work: dict[str, list[float]] = {}
        self._durations: list[float] = []
        self._lock = threading.Lock()

    def at_work(self, who: str) -> None:
        """``who`` (a role of the team, or the single call) has started a model call."""
        if who != self.working:
            self.working, self.working_since = who, time.monotonic()

    def question_started(self, question: Question) -> None:
        """``question`` is being answered from now on."""
        with self._lock:
            self._at_work.setdefault(question["id"], []).append(time.monotonic())

    def _running(self, now: float) -> list[float]:
        with self._lock:
            return [now - at for starts in self._at_work.values() for at in starts]

    def _status(self) -> str:
        done = len(self.rows)
        now = time.monotonic()
        running = self._running(now)
        working = f"{self.working} {clock(now - self.working_since)}"
        if len(running) > 1:
            where = f"{done} of {self.total} answered, {len(running)} at work, latest call"
        else:
            where = f"question {min(done + 1, self.total)} of {self.total}"
        scores = f"; {running_scores(self.rows)}" if done else ""
        left = ""
        if self._durations:
            waiting = max(0, self.total - done - len(running))
            each = statistics.fmean(self._durations)
            seconds = time_left(each, running, waiting, self.concurrency)
            left = f", about {clock(seconds)} left" if seconds >= 1 else ""
        return f"{where}: {working} (total {clock(now - self.started)}){scores}{left}"

    def renderable(self) -> RenderableType:
        """The bar and the status line."""
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            ProgressBar(total=self.total, completed=len(self.rows), width=30), self._status()
        )
        return grid

    def add(self, row: Row) -> None:
        """One question is answered by both; off a terminal, print a line for it."""
        with self._lock:
            starts = self._at_work.get(row["id"])
            if starts:
                self._durations.append(time.monotonic() - starts.pop(0))
                if not starts:
                    del self._at_work[row["id"]]
        self.rows.append(row)
        if self.live is None and not self.quiet:
            done = len(self.rows)
            self.console.print(
                f"question {done} of {self.total}: team F1 {row['team']['scores']['f1']:.2f}, "
                f"single call {row['baseline']['scores']['f1']:.2f}; {running_scores(self.rows)}",
                highlight=False,
            )
