"""Live progress of a team run on a terminal: who is working, on what, for how long."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text


class _Status:
    """Spinner line re-rendered on every refresh, so the elapsed time keeps ticking."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.activity = "starting"
        self.activity_started = started
        self.spinner = Spinner("dots")

    def __rich__(self) -> RenderableType:
        now = time.monotonic()
        self.spinner.text = Text.assemble(
            (self.activity, "bold"),
            f"  {now - self.activity_started:4.1f}s  (total {now - self.started:4.1f}s)",
        )
        return self.spinner


class ProgressView:
    """Shows one activity at a time and a line per finished step, on stderr.

    On a terminal the current activity is a live spinner; elsewhere (pipes, CI logs)
    only the finished-step lines are printed. ``quiet`` prints nothing.
    """

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        """Prepare the view; nothing is shown until it is entered."""
        self.console = console
        self.quiet = quiet
        self.started = time.monotonic()
        self.status = _Status(self.started)
        self.live: Live | None = None

    def __enter__(self) -> ProgressView:
        """Start the live display when stderr is a terminal."""
        if not self.quiet and self.console.is_terminal:
            self.live = Live(
                self.status, console=self.console, refresh_per_second=8, transient=True
            )
            self.live.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the live display."""
        if self.live is not None:
            self.live.__exit__(kind, error, trace)

    def begin(self, activity: str) -> None:
        """A role started working on ``activity``."""
        self.status.activity = activity
        self.status.activity_started = time.monotonic()

    def done(self, line: str) -> None:
        """A step finished; print ``line`` with the time it took."""
        if self.quiet:
            return
        took = time.monotonic() - self.status.activity_started
        self.console.print(
            f"[green]✓[/green] {line} [dim]({took:.1f}s)[/dim]", highlight=False, soft_wrap=True
        )

    @property
    def elapsed(self) -> float:
        """Seconds since the view was created."""
        return time.monotonic() - self.started
