"""The research team's task loop: schedule ready tasks, execute each, reflect on the results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Send

from agents.conversation import render_turns
from agents.executor import ToolPolicy, execute_task
from agents.llm.ledger import Ledger
from agents.plans import PlanTask, ready_tasks, vet_additions
from agents.reflector import NewTask
from agents.reflector import reflect as judge_results
from graphs.common.crew import Crew
from graphs.research.settings import ContextScope, ResearchSettings
from graphs.research.state import FINISHED, ExecuteInput, ResearchState, TaskRecord, waiting
from tools.kernel.errors import TeamgraphError

ResearchCrew = Crew[ResearchSettings]


def records_in_plan_order(state: ResearchState) -> list[TaskRecord]:
    """The task records, in the order of the plan."""
    records = state.get("tasks") or {}
    return [records[str(t["id"])] for t in state.get("plan") or [] if str(t["id"]) in records]


def context_for(task: PlanTask, state: ResearchState, scope: ContextScope) -> str:
    """What a task's prompt holds: its dependencies' results (or every finished one)."""
    records = state.get("tasks") or {}
    if scope == "all":
        wanted = [r for r in records_in_plan_order(state) if r.get("status") in FINISHED]
    else:
        wanted = [records[str(d)] for d in task["dependency"] if str(d) in records]
    lines = []
    for record in wanted:
        text = (
            record.get("result")
            if record.get("status") == "done"
            else f"(failed: {record.get('error', 'unknown error')})"
        )
        lines.append(f"Task {record['id']} ({record['query']}): {text}")
    if state.get("direct") and state.get("turns"):
        lines.insert(0, "Conversation so far:\n" + render_turns(state["turns"]))
    return "\n".join(lines)


def schedule(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """Start every task whose dependencies are done, up to ``max_concurrency`` at once."""
    records = state.get("tasks") or {}
    finished = [int(k) for k, r in records.items() if r.get("status") in FINISHED]
    started = [int(k) for k, r in records.items() if r.get("status") != "waiting"]
    slots = crew.settings(runtime).max_concurrency
    ready = ready_tasks(state.get("plan") or [], finished, started)[:slots]
    return {"tasks": {str(t["id"]): {"status": "running"} for t in ready}}


def route_after_schedule(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> list[Send] | Literal["reflect", "finalize"]:
    """One ``execute`` branch per running task; when none runs, reflect (or answer on A)."""
    records = state.get("tasks") or {}
    running = [
        t
        for t in state.get("plan") or []
        if records.get(str(t["id"]), {}).get("status") == "running"
    ]
    if running:
        scope = crew.settings(runtime).context_scope
        return [
            Send(
                "execute",
                ExecuteInput(task=t, context=context_for(t, state, scope), run=state["run"]),
            )
            for t in running
        ]
    return "finalize" if state.get("direct") else "reflect"


def execute(
    state: ExecuteInput, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """The executor solves one task; a failure (a limit, a provider error) marks it failed."""
    shift = crew.shift(state, runtime)
    task = state["task"]
    key = str(task["id"])
    settings = shift.settings
    policy: ToolPolicy = settings.tool_policy
    if policy == "auto":
        policy = "search" if shift.guided("executor") else "native"
    try:
        outcome = execute_task(
            shift.caller("executor", task=key),
            task["id"],
            task["query"],
            state["context"],
            crew.tools(),
            policy=policy,
            context_chars=settings.context_chars,
            tool_timeout_s=settings.tool_timeout_s,
        )
    except TeamgraphError as error:
        failed = {"status": "failed", "error": str(error), **_task_usage(shift.ledger, key)}
        return {"tasks": {key: failed}, **shift.spent()}
    return {
        "tasks": {
            key: {
                "status": "done",
                "tool": outcome.tool,
                "queries": outcome.queries,
                "result": outcome.result,
                "sources": outcome.sources,
                "context_chars": outcome.context_chars,
                "fallbacks": outcome.fallbacks,
                **_task_usage(shift.ledger, key),
            }
        },
        "fallbacks": outcome.fallbacks,
        **shift.spent(),
    }


def _task_usage(ledger: Ledger, key: str) -> dict[str, Any]:
    spent = ledger.usage(task=key).get("executor")
    return {"usage": spent} if spent else {}


def reflect(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """Judge whether the results answer the question; add tasks (a bounded number of times)."""
    shift = crew.shift(state, runtime)
    done = [
        (r["id"], r["query"], r.get("result") or f"(failed: {r.get('error', '')})")
        for r in records_in_plan_order(state)
    ]
    decision = judge_results(shift.caller("planner"), state["question"], done)
    verdict = decision.value
    update: dict[str, Any] = {
        "reflections": [*(state.get("reflections") or []), verdict.model_dump()],
        "fallbacks": decision.notes("planner"),
        **shift.spent(),
    }
    if verdict.sufficient:
        return {**update, "stop_reason": "sufficient"}
    if (state.get("replans") or 0) >= shift.settings.max_replans:
        return {**update, "stop_reason": "max_replans"}
    added, dropped = _additions(state, verdict.new_tasks, shift.settings.max_tasks)
    update["asked"] = [*(state.get("asked") or []), *(n.query for n in verdict.new_tasks)]
    if dropped:
        update["plan_repairs"] = [*(state.get("plan_repairs") or []), *dropped]
    if not added:
        return {**update, "stop_reason": "no_new_tasks"}
    replans = (state.get("replans") or 0) + 1
    return {
        **update,
        "plan": [*(state.get("plan") or []), *added],
        "tasks": waiting(added, replans),
        "replans": replans,
    }


def _additions(
    state: ResearchState, proposed: Sequence[NewTask], max_tasks: int
) -> tuple[list[PlanTask], list[str]]:
    """The reflection's tasks fit to add (as the first plan's), and why others were not."""
    current = state.get("plan") or []
    asked = [*(state.get("asked") or []), *(t["query"] for t in current)]
    kept, dropped = vet_additions([n.query for n in proposed], asked)
    known = {t["id"] for t in current}
    room = max(max_tasks - len(current), 0)
    if len(kept) > room:
        dropped.append(f"cut {len(kept) - room} new task(s): the plan holds {max_tasks} at most")
    next_id = max(known, default=0) + 1
    dependencies = {n.query.strip(): n.dependency for n in proposed}
    added = [
        PlanTask(
            id=next_id + offset,
            query=query,
            dependency=sorted({d for d in dependencies.get(query, []) if d in known}),
        )
        for offset, query in enumerate(kept[:room])
    ]
    return added, [f"re-plan: {reason}" for reason in dropped]


def route_after_reflect(state: ResearchState) -> Literal["schedule", "finalize"]:
    """Answer once the reflection has decided, else run the added tasks."""
    return "finalize" if state.get("stop_reason") else "schedule"
