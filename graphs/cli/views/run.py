"""The team of teams at work: a line per finished node, member teams' nodes included."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from graphs.common.live import LiveView, fallback_lines


class RunView(LiveView):
    """Prints ``[elapsed] where · node`` as nodes finish, with the Manager's route."""

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """One line for the finished node."""
        if self.quiet:
            return
        where = "/".join(part.split(":")[0] for part in namespace) or "team"
        detail = ""
        if node == "manager" and update.get("route"):
            detail = f": {' -> '.join(update['route'])} ({update['route_reason']})"
        self.console.print(
            f"[dim][{time.monotonic() - self.started:6.1f}s][/dim] {where} · {node}{detail}",
            highlight=False,
            soft_wrap=True,
        )
        for warning in fallback_lines(update):
            self.console.print(f"  [yellow]![/yellow] {warning}", highlight=False, soft_wrap=True)
