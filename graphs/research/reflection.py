"""The research team's reflection: do the results answer the question, or add tasks?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.plans import PlanTask, vet_additions
from agents.reflector import NewTask
from agents.reflector import reflect as judge_results
from graphs.common.crew import Crew
from graphs.research.settings import ResearchSettings
from graphs.research.state import ResearchState, waiting
from graphs.research.tasks import records_in_plan_order

ResearchCrew = Crew[ResearchSettings]


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


def route_after_reflect(state: ResearchState) -> Literal["run_tasks", "finalize"]:
    """Answer once the reflection has decided, else run the added tasks."""
    return "finalize" if state.get("stop_reason") else "run_tasks"
