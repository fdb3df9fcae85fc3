"""Run any team within a budget and, when a limit is hit, keep the best result so far."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from agents.budget import Budget, BudgetExceeded, active_budget


@dataclass
class BudgetedRun:
    """The state a run reached, the best result in it, and the limit that stopped it (if any)."""

    state: dict[str, Any]
    result: str
    stopped_by: str | None = None
    message: str = ""
    budget: Budget = field(default_factory=Budget)


def best_result(values: Mapping[str, Any], nested: Iterable[Mapping[str, Any]] = ()) -> str:
    """The most finished text in a team's state (or in its running subteams' states)."""
    for key in ("final", "final_text", "answer"):
        if values.get(key):
            return str(values[key])
    outputs = values.get("outputs") or []
    if outputs:
        return str(outputs[-1]["text"])
    if values.get("drafts"):
        return str(values["drafts"][-1])
    done = [r for r in (values.get("tasks") or {}).values() if r.get("status") == "done"]
    if done:
        return "\n".join(f"{r['query']}: {r.get('result', '')}" for r in done)
    for inner in nested:
        text = best_result(inner)
        if text:
            return text
    return ""


def _subgraph_values(graph: Any, config: RunnableConfig | None) -> list[Mapping[str, Any]]:
    if not config or graph.checkpointer is None:
        return []
    snapshot = graph.get_state(config, subgraphs=True)
    return [
        task.state.values for task in snapshot.tasks if getattr(task, "state", None) is not None
    ]


def run_within_budget(
    graph: Any,
    payload: Any,
    config: RunnableConfig | None = None,
    *,
    budget: Budget,
    on_update: Callable[[tuple[str, ...], str, Any], None] | None = None,
    on_token: Callable[[tuple[str, ...], str, str], None] | None = None,
) -> BudgetedRun:
    """Stream ``graph`` with ``budget`` active for every model call of the run.

    ``on_update(namespace, node, update)`` sees each node's update (subgraphs included);
    ``on_token(namespace, node, text)`` sees model tokens as they stream.
    When a limit is hit the run stops and the result is the best one reached so far.
    """
    values: dict[str, Any] = {}
    modes = ["updates", "values", *(["messages"] if on_token else [])]
    with active_budget(budget):
        try:
            for namespace, mode, chunk in graph.stream(
                payload, config, stream_mode=modes, subgraphs=True
            ):
                if mode == "values" and not namespace:
                    values = dict(chunk)
                elif mode == "messages" and on_token is not None:
                    message, metadata = chunk
                    if isinstance(message.content, str) and message.content:
                        on_token(
                            namespace, str(metadata.get("langgraph_node", "")), message.content
                        )
                elif mode == "updates" and on_update is not None:
                    for node, update in dict(chunk).items():
                        on_update(namespace, node, update)
        except BudgetExceeded as limit:
            if config and graph.checkpointer is not None:
                values = dict(graph.get_state(config).values) or values
            result = best_result(values, _subgraph_values(graph, config))
            return BudgetedRun(values, result, limit.limit, str(limit), budget)
    if config and graph.checkpointer is not None:
        values = dict(graph.get_state(config).values) or values
    return BudgetedRun(values, best_result(values), None, "", budget)
