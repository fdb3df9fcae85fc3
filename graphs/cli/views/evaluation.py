"""Live progress of an evaluation: question k of n, running mean scores, time left."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from rich.console import Console, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table

from graphs.common.live import LiveView
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


class EvalProgress(LiveView):
    """A bar with question k of n, the running scores and an estimate of the time left."""

    def __init__(self, console: Console, total: int, *, quiet: bool = False) -> None:
        """Progress over ``total`` questions."""
        super().__init__(console, quiet=quiet)
        self.total = total
        self.rows: list[Row] = []
        self.working = "starting"
        self.working_since = self.started

    def at_work(self, who: str) -> None:
        """``who`` (a role of the team, or the single call) has started a model call."""
        if who != self.working:
            self.working, self.working_since = who, time.monotonic()

    def _status(self) -> str:
        done = len(self.rows)
        now = time.monotonic()
        elapsed = now - self.started
        left = f", about {clock(elapsed / done * (self.total - done))} left" if done else ""
        scores = f"; {running_scores(self.rows)}" if done else ""
        working = f"{self.working} {clock(now - self.working_since)}"
        return (
            f"question {min(done + 1, self.total)} of {self.total}: {working} "
            f"(total {clock(elapsed)}){scores}{left}"
        )

    def renderable(self) -> RenderableType:
        """The bar and the status line."""
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            ProgressBar(total=self.total, completed=len(self.rows), width=30), self._status()
        )
        return grid

    def add(self, row: Row) -> None:
        """One question is answered by both; off a terminal, print a line for it."""
        self.rows.append(row)
        if self.live is None and not self.quiet:
            done = len(self.rows)
            self.console.print(
                f"question {done} of {self.total}: team F1 {row['team']['scores']['f1']:.2f}, "
                f"single call {row['baseline']['scores']['f1']:.2f}; {running_scores(self.rows)}",
                highlight=False,
            )
