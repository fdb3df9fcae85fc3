"""Every kept thread at a glance: its team, status, request and last change."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphs.registry import TEAMS
from graphs.threads.locks import is_running
from graphs.threads.storage import saved_run, thread_config


def list_threads(saver: Any) -> list[dict[str, Any]]:
    """A row per thread, newest first: ``thread``, ``team``, ``status``, ``request``, ``updated``.

    A failed thread's row also has its ``error``.
    """
    latest: OrderedDict[str, Any] = OrderedDict()
    for item in saver.list(None):
        thread = item.config["configurable"]["thread_id"]
        if thread not in latest and not item.config["configurable"].get("checkpoint_ns"):
            latest[thread] = item
    graphs: dict[str, Any] = {}
    return [_summary(saver, thread, item, graphs) for thread, item in latest.items()]


def _summary(saver: Any, thread: str, item: Any, graphs: dict[str, Any]) -> dict[str, Any]:
    saved = saved_run(saver, thread)
    team = saved.team if saved else "?"
    values = item.checkpoint.get("channel_values") or {}
    spec = TEAMS.get(team)
    request = str(values.get(spec.request_key) or "") if spec else ""
    status, error = thread_status(saver, team, thread, graphs)
    row = {
        "thread": thread,
        "team": team,
        "status": status,
        "request": request,
        "updated": str(item.checkpoint.get("ts", "")),
    }
    return {**row, "error": error} if error else row


def thread_status(
    saver: Any, team: str, thread: str, graphs: dict[str, Any] | None = None
) -> tuple[str, str]:
    """running, waiting (for a person), failed (with the error), interrupted, or done.

    ``graphs`` keeps each team's graph built here, for the next thread of that team.
    """
    if is_running(thread):
        return "running", ""
    spec = TEAMS.get(team)
    if spec is None:
        return "unknown", ""
    built = graphs if graphs is not None else {}
    if team not in built:
        built[team] = spec.build_graph(None, check_models=False, checkpointer=saver)
    snapshot = built[team].get_state(thread_config(thread))
    if snapshot.interrupts:
        return "waiting", ""
    errors = [str(task.error) for task in snapshot.tasks if task.error]
    if errors:
        return "failed", errors[0]
    return ("interrupted" if snapshot.next else "done"), ""
