"""A thread's history in words: each step, the team and node that ran, and what it wrote."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from langchain_core.runnables import RunnableConfig

from graphs.common.live import shorten
from graphs.common.spec import TeamSource, TeamSpec
from graphs.threads.jobs import known_team
from tools.tokens import word_count

QUIET_KEYS = frozenset({"run", "usage", "models", "position", "asked", "turns", "replans"})
WORKER_KEYS = ("role", "team")
"""The key of an output that names who did the work (a team file's role, a member team)."""


def _value(key: str, value: Any) -> str | None:
    if value in (None, "", [], {}) or value is False or value == 0 or key in QUIET_KEYS:
        return None
    if key == "tasks" and isinstance(value, Mapping):
        return ", ".join(f"task {k} {r.get('status', '')}".strip() for k, r in value.items())
    if key == "drafts" and isinstance(value, list):
        return f"a draft of {word_count(str(value[-1]))} words"
    if key == "critiques" and isinstance(value, list):
        last = value[-1]
        verdict = "approved" if last.get("approved") else "asked for changes"
        return f"{verdict} ({last.get('score')}/10)"
    if key == "outputs" and isinstance(value, list):
        last = value[-1]
        who = next((last[key] for key in WORKER_KEYS if key in last), "?")
        return f"{who}: {shorten(str(last['text']), 60)!r}"
    if key == "route" and isinstance(value, list):
        return " → ".join(map(str, value))
    if isinstance(value, str):
        return repr(shorten(value, 60))
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    if isinstance(value, Mapping):
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    return str(value)


def describe_writes(writes: Mapping[str, Any]) -> str:
    """What a node wrote, in a line: ``key: summary`` for each key worth saying."""
    said = [(key, _value(key, getattr(value, "value", value))) for key, value in writes.items()]
    return shorten("; ".join(f"{key}: {text}" for key, text in said if text), 160) or "-"


def request_seconds(graph: Any, config: RunnableConfig) -> float | None:
    """Seconds from the thread's latest request to its last saved step (None if unknown).

    Every process that worked on the request counts, and so does any wait for a person.
    """
    last: str | None = None
    for snapshot in graph.get_state_history(config):
        last = last or snapshot.created_at
        if (snapshot.metadata or {}).get("source") == "input" and last and snapshot.created_at:
            started = datetime.fromisoformat(snapshot.created_at)
            return (datetime.fromisoformat(last) - started).total_seconds()
    return None


def history(
    saver: Any, team: str, thread: str, *, source: TeamSource | None = None
) -> list[dict[str, Any]]:
    """A line per node that ran on ``thread``, oldest first, teams inside included.

    ``source``: the team file the team was read from (None for a team written in Python).
    """
    spec = known_team(team, thread, source)
    graph = spec.build_graph(None, check_models=False, checkpointer=saver)
    config = RunnableConfig(configurable={"thread_id": thread})
    return list(_rows(graph, config, spec, team, saver))


def _rows(
    graph: Any, config: RunnableConfig, spec: TeamSpec, where: str, saver: Any
) -> Iterator[dict[str, Any]]:
    """The rows of ``graph`` on ``config``, each team or subgraph inside before its node's row.

    A node that has not finished (cut off, failed) has no row, but the steps its team or
    subgraph finished inside it do: a resume does not run them again.
    """
    members = spec.members()
    subgraphs = dict(graph.get_subgraphs())
    for snapshot in reversed(list(graph.get_state_history(config))):
        for task in snapshot.tasks:
            if task.name.startswith("__"):
                continue
            inside = _inside(config, f"{task.name}:{task.id}")
            member = members.get(task.name)
            if member is not None:
                built = member.build_graph(None, check_models=False, checkpointer=saver)
                yield from _rows(built, inside, member, f"{where}/{task.name}", saver)
            elif task.name in subgraphs:
                yield from _rows(graph, inside, spec, f"{where}/{task.name}", saver)
            if task.result is None:
                continue
            yield {
                "step": snapshot.metadata.get("step") if snapshot.metadata else None,
                "team": where,
                "node": task.name,
                "wrote": describe_writes(task.result),
            }


def _inside(config: RunnableConfig, namespace: str) -> RunnableConfig:
    """``config`` for the checkpoints of the task ``namespace`` (``name:id``)."""
    return RunnableConfig(
        configurable={**config.get("configurable", {}), "checkpoint_ns": namespace}
    )
