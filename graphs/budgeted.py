"""Budgets for whole runs: the per-run limits of a team, and its graceful stop at a limit.

Every team stops through :func:`stop_on_budget`, its nodes' error handler: a model call
past a limit ends the run there with the best result so far under the team's result
key, ``stop_reason`` naming the limit and ``budget_stop`` saying what was reached.
:func:`with_budget` gives a compiled team limits of its own, so that each of its runs
(``invoke``, ``stream`` and their async forms) spends from a fresh :class:`Budget`;
:func:`run_within_budget` runs any team within a budget the caller holds.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.errors import NodeError
from langgraph.graph import END
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from typing_extensions import TypedDict

from agents.budget import (
    Budget,
    BudgetExceeded,
    activate,
    active_budget,
    current_budget,
    deactivate,
)


class BudgetStop(TypedDict):
    """Which run limit ended a run, in words too."""

    limit: str
    message: str


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


def stop_on_budget(result_key: str) -> Any:
    """An error handler ending the run at a budget limit; other errors pass through.

    Typed ``Any`` because LangGraph's node types do not list handlers taking a NodeError.
    """

    def on_error(state: Any, error: NodeError) -> Command[Any]:
        if not isinstance(error.error, BudgetExceeded):
            raise error.error
        stop = BudgetStop(limit=error.error.limit, message=str(error.error))
        return Command(
            update={
                result_key: best_result(state),
                "stop_reason": stop["limit"],
                "budget_stop": stop,
            },
            goto=END,
        )

    return on_error


class BudgetedGraph(CompiledStateGraph[Any, Any, Any, Any]):
    """A compiled team whose every run spends from a fresh budget with its limits."""

    def __init__(
        self, *, max_calls: int | None, max_tokens_total: int | None, **kwargs: Any
    ) -> None:
        """Keep the limits beside the compiled graph's own attributes."""
        super().__init__(**kwargs)
        self.max_calls = max_calls
        self.max_tokens_total = max_tokens_total

    def _new_budget(self) -> Budget:
        return Budget(self.max_calls, self.max_tokens_total, parent=current_budget())

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Stream the run with its own budget active in every node, branch and subgraph."""
        run = contextvars.copy_context()
        run.run(activate, self._new_budget())
        chunks = cast(Generator[Any, None, None], run.run(super().stream, *args, **kwargs))
        try:
            while True:
                try:
                    chunk = run.run(next, chunks)
                except StopIteration:
                    return
                yield chunk
        finally:
            run.run(chunks.close)

    async def astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        """Stream the run asynchronously with its own budget active."""
        token = activate(self._new_budget())
        try:
            async for chunk in super().astream(*args, **kwargs):
                yield chunk
        finally:
            with contextlib.suppress(ValueError):
                deactivate(token)


def with_budget(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    max_calls: int | None = None,
    max_tokens_total: int | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """``graph`` itself without limits; else the same graph, each run within the limits."""
    if max_calls is None and max_tokens_total is None:
        return graph
    Budget(max_calls, max_tokens_total)  # refuses a limit below 1 now, not at the first run
    attributes = {k: v for k, v in graph.__dict__.items() if k != "__orig_class__"}
    return BudgetedGraph(max_calls=max_calls, max_tokens_total=max_tokens_total, **attributes)


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
    stop = values.get("budget_stop") or {}
    return BudgetedRun(
        values, best_result(values), stop.get("limit"), stop.get("message", ""), budget
    )
