"""The threads an Agent Server keeps, a row each as ``teamgraph threads`` lists local ones."""

from __future__ import annotations

from typing import Any

import httpx
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from langgraph_sdk.errors import APIStatusError

from graphs.registry import TEAMS
from graphs.serving.client import ServerError
from tools.kernel.urls import masked

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
        raise ServerError(
            f"Cannot reach the server at {masked(url)} ({error}): is `teamgraph serve` "
            "(or another Agent Protocol server) running there?"
        ) from None
    except APIStatusError as error:
        raise ServerError(f"The server at {masked(url)} said: {error}") from None


def _row(api: SyncLangGraphClient, thread: dict[str, Any]) -> dict[str, Any]:
    metadata = thread.get("metadata") or {}
    team = str(metadata.get("graph_id") or metadata.get("teamgraph_team") or "?")
    values = thread.get("values") if isinstance(thread.get("values"), dict) else {}
    spec = TEAMS.get(team)
    return {
        "thread": str(metadata.get("teamgraph_thread") or thread["thread_id"]),
        "team": team,
        "status": _status(api, thread, values or {}),
        "request": str((values or {}).get(spec.request_key) or "") if spec else "",
        "updated": str(thread.get("updated_at") or ""),
    }


def _status(api: SyncLangGraphClient, thread: dict[str, Any], values: dict[str, Any]) -> str:
    status = str(thread.get("status") or "")
    if status != "idle":
        return SERVED_STATUS.get(status, status)
    if not values:
        return "no run yet"
    state = api.threads.get_state(thread["thread_id"])
    return "interrupted" if state.get("next") else "done"
