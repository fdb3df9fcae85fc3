"""Every kept thread at a glance: its team, status, request and last change."""

from __future__ import annotations

import ast
from collections import OrderedDict
from typing import Any

from graphs.common.answers import REQUEST
from graphs.common.spec import TeamSource
from graphs.registry import thread_team
from graphs.threads.locks import is_running
from graphs.threads.storage import SavedRun, saved_run, thread_config
from tools.kernel.errors import TeamgraphError


def list_threads(saver: Any) -> list[dict[str, Any]]:
    """A row per thread, newest first: ``thread``, ``team``, ``status``, ``request``, ``updated``.

    A failed thread's row also has its ``error``.
    """
    latest: OrderedDict[str, Any] = OrderedDict()
    for item in saver.list(None):
        thread = item.config["configurable"]["thread_id"]
        if thread not in latest and not item.config["configurable"].get("checkpoint_ns"):
            latest[thread] = item
    graphs: dict[Any, Any] = {}
    return [_summary(saver, thread, item, graphs) for thread, item in latest.items()]


def _summary(saver: Any, thread: str, item: Any, graphs: dict[Any, Any]) -> dict[str, Any]:
    saved = saved_run(saver, thread) or SavedRun("?", {}, {})
    values = item.checkpoint.get("channel_values") or {}
    spec = _team(saved, thread)
    key = spec.request_key if spec else REQUEST if saved.source else ""
    request = str(values.get(key) or "")
    status, error = thread_status(saver, saved.team, thread, graphs, source=saved.source)
    row = {
        "thread": thread,
        "team": saved.team,
        "status": status,
        "request": request,
        "updated": str(item.checkpoint.get("ts", "")),
    }
    return {**row, "error": error} if error else row


def _team(saved: SavedRun, thread: str) -> Any:
    """The team of the thread, or None if it cannot be had here."""
    try:
        return thread_team(saved.team, saved.source, thread)
    except TeamgraphError:
        return None


def thread_status(
    saver: Any,
    team: str,
    thread: str,
    graphs: dict[Any, Any] | None = None,
    *,
    source: TeamSource | None = None,
) -> tuple[str, str]:
    """running, waiting (for a person), failed (with the error), interrupted, or done.

    ``unknown`` (with the reason) when the thread's team cannot be had here. ``graphs``
    keeps each team's graph built here, for the next thread of that team.
    """
    if is_running(thread):
        return "running", ""
    try:
        spec = thread_team(team, source, thread)
    except TeamgraphError as error:
        return "unknown", str(error) if source else ""
    built = graphs if graphs is not None else {}
    key = (team, source)
    if key not in built:
        built[key] = spec.build_graph(None, check_models=False, checkpointer=saver)
    snapshot = built[key].get_state(thread_config(thread))
    if snapshot.interrupts:
        return "waiting", ""
    errors = [error_text(task.error) for task in snapshot.tasks if task.error]
    if errors:
        return "failed", errors[0]
    return ("interrupted" if snapshot.next else "done"), ""


def error_text(error: object) -> str:
    """A failed step's error as its message.

    A checkpoint keeps the ``repr`` of the exception, ``ModelCallError('The critic ...')``:
    its one string argument is the message. Anything else is given as kept.
    """
    if isinstance(error, BaseException):
        return str(error)
    text = str(error)
    name, opened, arguments = text.partition("(")
    if not (opened and name.isidentifier() and arguments.endswith(")")):
        return text
    try:
        message = ast.literal_eval(arguments[:-1])
    except (ValueError, SyntaxError):
        return text
    return message if isinstance(message, str) else text
