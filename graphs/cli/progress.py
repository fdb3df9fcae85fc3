"""Live progress of a team run on a terminal: who is working, on what, for how long."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Self

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text


class LiveView:
    """Shows ``renderable()`` live on stderr while entered, when stderr is a terminal."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        """Nothing is shown until the view is entered; ``quiet`` shows nothing at all."""
        self.console = console
        self.quiet = quiet
        self.started = time.monotonic()
        self.live: Live | None = None

    def renderable(self) -> RenderableType:
        """What the live display shows (re-rendered on every refresh)."""
        raise NotImplementedError

    def __rich__(self) -> RenderableType:
        """Rich's hook: render the current view."""
        return self.renderable()

    def __enter__(self) -> Self:
        """Start the live display when stderr is a terminal."""
        if not self.quiet and self.console.is_terminal:
            self.live = Live(self, console=self.console, refresh_per_second=8, transient=True)
            self.live.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the live display, then let the view print its last word."""
        if self.live is not None:
            self.live.__exit__(kind, error, trace)
        self.finish()

    def finish(self) -> None:
        """Print what should stay on screen after the live display (nothing by default)."""

    @property
    def elapsed(self) -> float:
        """Seconds since the view was created."""
        return time.monotonic() - self.started


class ProgressView(LiveView):
    """One activity at a time as a spinner, and a line per finished step.

    On a terminal the current activity is a live spinner; elsewhere (pipes, CI logs)
    only the finished-step lines are printed.
    """

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        """Start with no activity."""
        super().__init__(console, quiet=quiet)
        self.activity = "starting"
        self.activity_started = self.started
        self.spinner = Spinner("dots")

    def renderable(self) -> RenderableType:
        """The spinner with the current activity and the elapsed times."""
        now = time.monotonic()
        self.spinner.text = Text.assemble(
            (self.activity, "bold"),
            f"  {now - self.activity_started:4.1f}s  (total {now - self.started:4.1f}s)",
        )
        return self.spinner

    def begin(self, activity: str) -> None:
        """A role started working on ``activity``."""
        self.activity = activity
        self.activity_started = time.monotonic()

    def done(self, line: str) -> None:
        """A step finished; print ``line`` with the time it took."""
        if self.quiet:
            return
        took = time.monotonic() - self.activity_started
        self.console.print(
            f"[green]✓[/green] {line} [dim]({took:.1f}s)[/dim]", highlight=False, soft_wrap=True
        )
