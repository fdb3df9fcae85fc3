"""The team of teams at work: the Manager's route, then each team's own live view in turn."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.text import Text

from graphs.common.live import LiveView, MemberViews, fallback_lines, shorten
from graphs.team.roster import members


class TeamRunView(MemberViews):
    """The route and which team works, above that team's own view (its plan tree, its roles)."""

    def __init__(
        self, console: Console, member_views: Mapping[str, LiveView], *, quiet: bool = False
    ):
        """``member_views``: the live view of each team the Manager may route to, by name."""
        super().__init__(console, quiet=quiet)
        self.hold_members(member_views)
        self.route: list[str] = []

    def _header(self) -> Text:
        elapsed = time.monotonic() - self.started
        if not self.route:
            return Text(f"Manager is choosing the teams  {elapsed:5.1f}s", style="bold")
        steps = [f"[{name}]" if name == self.current else name for name in self.route]
        return Text(f"Teams: {' → '.join(steps)}  (total {elapsed:5.1f}s)", style="bold")

    def renderable(self) -> RenderableType:
        """The route line above the working team's view."""
        member = self.members.get(self.current)
        return Group(self._header(), member.renderable()) if member else self._header()

    def switch_to(self, name: str) -> None:
        """The last team's view ends, and the route says the next team is working."""
        if self.current in self.members:
            self.members[self.current].finish()
        super().switch_to(name)
        self._print(f"{name} team is working")

    def _print(self, text: str) -> None:
        if not self.quiet:
            self.console.print(
                f"[dim][{time.monotonic() - self.started:6.1f}s][/dim] {text}",
                highlight=False,
                soft_wrap=True,
            )

    def on_resume(self, state: Mapping[str, Any]) -> None:
        """A resumed run's route, chosen by the Manager before (perhaps in another process)."""
        self.route = list(state.get("route") or [])

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """The Manager's route, or a team's node passed to that team's view."""
        member = self.member_in(namespace)
        if member is not None:
            member.on_done(namespace[1:], node, update)
            return
        if node == "manager" and update.get("route"):
            self.route = list(update["route"])
            reason = shorten(str(update.get("route_reason", "")), 100)
            self._print(f"Manager routed the request: {' → '.join(self.route)} ({reason})")
        for warning in fallback_lines(update) if node == "manager" else []:
            self._print(f"[yellow]![/yellow] {warning}")


def view(console: Console, settings: Mapping[str, Any], quiet: bool) -> LiveView:
    """The team of teams' live view, with each member team's own view inside it."""
    inner = {name: spec.view(console, {}, quiet) for name, spec in members().items()}
    return TeamRunView(console, inner, quiet=quiet)
