"""The threads an Agent Server keeps, a row each as ``teamgraph threads`` lists local ones."""

from __future__ import annotations

from typing import Any

import httpx
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from langgraph_sdk.errors import APIStatusError, NotFoundError

from graphs.registry import TEAMS
from graphs.serving.client import server_said, unreachable

PAGE = 100
SERVED_STATUS = {"busy": "running", "interrupted": "waiting", "error": "failed"}
"""The server's thread status in the words of the local listing (``idle`` is read apart)."""


def served_threads(url: str) -> list[dict[str, Any]]:
    """A row per thread on the server at ``url``, newest first.

    Rows have the local listing's keys: ``thread`` (the teamgraph name it was run under,
    else the server's id), ``team``, ``status``, ``request`` and ``updated``. An idle
    thread is ``done``, or ``interrupted`` if its last run stopped before the end.
    """
    api = get_sync_client(url=url, timeout=(10.0, 60.0, 10.0, 10.0))
    try:
        found: list[dict[str, Any]] = []
        while True:
            page = api.threads.search(
                limit=PAGE, offset=len(found), sort_by="updated_at", sort_order="desc"
            )
            found.extend(dict(thread) for thread in page)
            if len(page) < PAGE:
                break
        return [_row(api, thread) for thread in found]
    except httpx.TransportError as error:
        raise unreachable(url, error) from None
    except APIStatusError as error:
        raise server_said(url, error) from None


def _row(api: SyncLangGraphClient, thread: dict[str, Any]) -> dict[str, Any]:
    """A thread's row.

    Its state is read when the search did not give its values (Aegra's does not), or
    when it is idle: finished, or stopped before the end.
    """
    status = str(thread.get("status") or "")
    values = thread.get("values")
    metadata = dict(thread.get("metadata") or {})
    state: dict[str, Any] = {}
    if status == "idle" or not isinstance(values, dict):
        state = _state(api, str(thread["thread_id"]))
        values = state.get("values")
        metadata = {**(state.get("metadata") or {}), **metadata}
    values = values if isinstance(values, dict) else {}
    team = str(metadata.get("graph_id") or metadata.get("teamgraph_team") or "?")
    spec = TEAMS.get(team)
    if status != "idle":
        status = SERVED_STATUS.get(status, status)
    elif any(task.get("interrupts") for task in state.get("tasks") or []):
        status = "waiting"
    else:
        status = "interrupted" if state.get("next") else "done" if values else "no run yet"
    return {
        "thread": str(metadata.get("teamgraph_thread") or thread["thread_id"]),
        "team": team,
        "status": status,
        "request": str(values.get(spec.request_key) or "") if spec else "",
        "updated": str(thread.get("updated_at") or ""),
    }


def _state(api: SyncLangGraphClient, thread_id: str) -> dict[str, Any]:
    """The thread's latest state (empty for a thread with no checkpoint)."""
    try:
        return dict(api.threads.get_state(thread_id))
    except NotFoundError:
        return {}
