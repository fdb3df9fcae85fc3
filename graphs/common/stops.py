"""How a run ends early at a limit: the best result so far, and the limit named."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from langgraph.graph import END
from typing_extensions import TypedDict

from tools.kernel.errors import BudgetExceeded

LIMIT_WORDS = {
    "max_calls": "the call limit was reached",
    "max_tokens_total": "the token limit was reached",
}
"""The run limits as stop reasons, in words (every team may stop at them)."""


class BudgetStop(TypedDict):
    """Which run limit ended a run, in words too."""

    limit: str
    message: str


@dataclass(frozen=True)
class ResultKey:
    """The state key holding a team's result, and its best result so far for a run cut short."""

    key: str
    best_so_far: Callable[[Mapping[str, Any]], str]
    """The most finished text in the team's state (written to ``key`` at a limit)."""


def stop_update(
    state: Mapping[str, Any], limit: BudgetExceeded, result: ResultKey
) -> dict[str, Any]:
    """The state update ending a run at ``limit``: best result, stop reason, what was spent."""
    update: dict[str, Any] = {
        result.key: result.best_so_far(state),
        "stop_reason": limit.limit,
        "budget_stop": BudgetStop(limit=limit.limit, message=str(limit)),
    }
    if limit.ledger is not None:
        update["usage"] = limit.ledger.usage()
    return update


def stop_at_limits(result: ResultKey, node: Callable[..., Any]) -> Callable[..., Any]:
    """``node``, ending the run with its best result when a run limit refuses a model call.

    Other errors pass through untouched: the step is not saved, so ``resume`` redoes it.
    """

    @functools.wraps(node)
    def guarded(state: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return node(state, *args, **kwargs)
        except BudgetExceeded as limit:
            return stop_update(state, limit, result)

    return guarded


def ends_at_limits(route: str | Callable[..., Any], end: str = END) -> Callable[..., Any]:
    """``route`` (the next node, or a routing function), or ``end`` once a limit stopped the run.

    Wire it with an explicit list of destinations that includes ``end`` (default ``END``).
    """

    def routed(state: Any, *args: Any, **kwargs: Any) -> Any:
        if state.get("budget_stop"):
            return end
        return route if isinstance(route, str) else route(state, *args, **kwargs)

    return functools.update_wrapper(routed, route) if callable(route) else routed
