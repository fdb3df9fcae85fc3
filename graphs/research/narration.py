"""Live view of a research run: the plan as a tree, each task waiting/running/done."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.spinner import Spinner
from rich.text import Text
from rich.tree import Tree

from graphs.common.live import LiveView, fallback_lines, shorten, written

STYLES = {"waiting": "dim", "running": "yellow", "done": "green", "failed": "red"}
MARKS = {"waiting": "·", "running": "▶", "done": "✓", "failed": "✗"}
QUERY_WIDTH = 160
"""A task's query is shown on one line of at most this many characters (a question
handed over with earlier work in it runs to many lines)."""


def plan_tree(
    plan: Sequence[Mapping[str, Any]],
    statuses: Mapping[int, str],
    tool_errors: Mapping[int, Sequence[str]] | None = None,
) -> Tree:
    """The plan as a tree: each task under the tasks it depends on (roots at the top).

    A task whose tool calls failed says what the first one said.
    """
    tree = Tree("[bold]Plan[/bold]")
    nodes: dict[int, Tree] = {}
    for task in plan:
        status = statuses.get(task["id"], "waiting")
        label = Text.assemble(
            (f"{MARKS[status]} ", STYLES[status]),
            (
                f"{task['id']}. {shorten(task['query'], QUERY_WIDTH)}",
                "" if status == "done" else STYLES[status],
            ),
            (f"  [{status}]", STYLES[status]),
        )
        deps = [d for d in task["dependency"] if d in nodes]
        parent = nodes[deps[-1]] if deps else tree
        if len(deps) > 1:
            label.append(f"  (needs {', '.join(map(str, task['dependency']))})", "dim")
        failed = (tool_errors or {}).get(task["id"])
        if failed:
            label.append(f"  {shorten(failed[0], 100)}", "red")
        nodes[task["id"]] = parent.add(label)
    return tree


class ResearchView(LiveView):
    """Renders plan and task states live on a terminal, as lines elsewhere."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        """Nothing is shown until the view is entered."""
        super().__init__(console, quiet=quiet)
        self.plan: list[Mapping[str, Any]] = []
        self.statuses: dict[int, str] = {}
        self.tool_errors: dict[int, list[str]] = {}
        self.activity = "Decider is choosing how to answer"
        self.spinner = Spinner("dots")

    def renderable(self) -> RenderableType:
        """The plan tree (once there is a plan) above a spinner with the current activity."""
        running = sorted(i for i, s in self.statuses.items() if s == "running")
        ids = ", ".join(map(str, running))
        activity = (
            f"Executor is working on {'task' if len(running) == 1 else 'tasks'} {ids}"
            + (f" ({len(running)} at once)" if len(running) > 1 else "")
            if running
            else self.activity
        )
        self.spinner.text = Text(f"{activity}  {time.monotonic() - self.started:5.1f}s")
        parts: list[RenderableType] = (
            [plan_tree(self.plan, self.statuses, self.tool_errors)] if self.plan else []
        )
        return Group(*parts, self.spinner)

    def finish(self) -> None:
        """Leave the final plan on screen."""
        if not self.quiet and self.plan and self.console.is_terminal:
            self.console.print(plan_tree(self.plan, self.statuses, self.tool_errors))

    def _line(self, text: str) -> None:
        if not self.quiet and self.live is None:
            self.console.print(
                f"[{time.monotonic() - self.started:5.1f}s] {text}", highlight=False, soft_wrap=True
            )

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """Take one finished node's update."""
        stop = update.get("budget_stop")
        if stop:
            self._line(f"stopped: {stop['message']}")
        if node == "decide" and update.get("answer_type"):
            kind = update["answer_type"]["type"]
            self.activity = (
                "Planner is decomposing the question" if kind == "B" else "Answering directly"
            )
            self._line(f"decider: {kind} ({update['answer_type']['reason']})")
            self.plan = list(update.get("plan") or [])
        elif node in ("plan", "reflect") and update.get("plan"):
            self.plan = list(update["plan"])
            self._line(
                "plan:\n"
                + "\n".join(
                    f"  {t['id']}. {shorten(t['query'], QUERY_WIDTH)}"
                    + (f" (needs {t['dependency']})" if t["dependency"] else "")
                    for t in self.plan
                )
            )
        for key, record in (written(update, "tasks") or {}).items():
            status = record.get("status")
            if status and status != self.statuses.get(int(key)):
                self.statuses[int(key)] = status
                if status != "waiting":
                    detail = record.get("result") or record.get("error") or ""
                    self._line(
                        f"task {key} {status}" + (f": {shorten(detail, 100)}" if detail else "")
                    )
                failed = list(record.get("tool_errors") or [])
                if failed:
                    self.tool_errors[int(key)] = failed
                    for error in failed:
                        self._line(f"task {key}: {shorten(error, 160)}")
        for warning in fallback_lines(update):
            self._line(warning)
        if node == "reflect":
            self.activity = "Finalizer is writing the answer"
        if node == "run_tasks":
            self.activity = "Checking whether the results suffice"

    def on_resume(self, state: Mapping[str, Any]) -> None:
        """A resumed run shows its plan at once, with each task as it was saved.

        A task saved as running was cut off: it waits until it runs again.
        """
        self.plan = list(state.get("plan") or [])
        for key, record in (state.get("tasks") or {}).items():
            status = str(record.get("status") or "waiting")
            self.statuses[int(key)] = "waiting" if status == "running" else status
            if record.get("tool_errors"):
                self.tool_errors[int(key)] = list(record["tool_errors"])
        if self.plan:
            self.activity = "Going on with the plan"

    def on_event(self, event: Mapping[str, Any]) -> None:
        """A task started running (or a model call is made again)."""
        if event.get("kind") == "task":
            self.statuses[int(event["task"])] = str(event["status"])
            self._line(f"task {event['task']} {event['status']}")
        else:
            super().on_event(event)


def view(console: Console, settings: Mapping[str, Any], quiet: bool) -> LiveView:
    """The research team's live view: its plan as a tree."""
    return ResearchView(console, quiet=quiet)
