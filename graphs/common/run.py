"""A team's run: the record in its state that finds the run's ledger again, anywhere.

The first node of a run opens a :class:`RunRecord`: its id comes from the thread and the
checkpoint the run started from, so a first node redone after a crash opens the same run.
A team run inside another (a team of teams) charges a child of the enclosing run's
ledger, named by the configurable key :data:`PARENT_RUN`. With a store, every call is
written down as it is made, so a run resumed in a new process knows what it spent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from typing_extensions import TypedDict

from agents.llm.ledger import Ledger, Limits, StoreCallLog, find_ledger, keep_ledger
from agents.llm.usage import RoleUsage

PARENT_RUN = "teamgraph_parent_run"
"""Configurable key naming the enclosing run of a team: ``{"run": id, "scope": team}``."""


class RunRecord(TypedDict):
    """Which ledger a team's run charges, and the limits it was started with."""

    id: str
    """The outermost run's id."""
    scope: str
    """"" for the outermost team, else this team's name inside it."""
    max_calls: int | None
    max_tokens_total: int | None


def new_run(limits: Limits, runtime: Runtime[Any]) -> RunRecord:
    """The record of a run starting now (inside the enclosing run, if there is one)."""
    parent = get_config().get("configurable", {}).get(PARENT_RUN)
    if parent:
        run, scope = str(parent["run"]), str(parent["scope"])
    else:
        info = runtime.execution_info
        thread = (info.thread_id if info else None) or "run"
        run, scope = f"{thread}:{info.checkpoint_id if info else ''}", ""
    return RunRecord(
        id=run, scope=scope, max_calls=limits.max_calls, max_tokens_total=limits.max_tokens_total
    )


def open_ledger(
    run: RunRecord, store: BaseStore | None, usage: Mapping[str, RoleUsage] | None = None
) -> Ledger:
    """The run's ledger: the one open in this process, or restored from the store or ``usage``."""
    found = find_ledger(run["id"], run["scope"])
    if found is not None:
        return found
    limits = Limits(run["max_calls"], run["max_tokens_total"])
    if not run["scope"]:
        log = StoreCallLog(store) if store is not None else None
        ledger = Ledger(run["id"], limits, log=log)
    else:
        outer_scope, _, team = run["scope"].rpartition("/")
        outer = find_ledger(run["id"], outer_scope) or open_ledger(
            RunRecord(id=run["id"], scope=outer_scope, max_calls=None, max_tokens_total=None),
            store,
        )
        ledger = outer.child(team, limits)
    if usage and not ledger.calls:
        ledger.absorb(usage)
    return keep_ledger(ledger)


def inside(config: RunnableConfig, run: RunRecord, team: str) -> RunnableConfig:
    """``config`` for running ``team`` inside ``run``: the team charges a child ledger."""
    scope = f"{run['scope']}/{team}" if run["scope"] else team
    configurable = {
        **config.get("configurable", {}),
        PARENT_RUN: {"run": run["id"], "scope": scope},
    }
    return RunnableConfig(**{**config, "configurable": configurable})
