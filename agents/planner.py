"""The TodoMaker: decompose a question into sub-tasks with dependencies (Plan-and-Solve)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import ValidationError

from agents.conversation import Turn, conversation_block
from agents.llm.calls import RoleCaller
from agents.llm.structured import FallbackNote, decide, parse_json_object
from agents.plans import Plan, PlanTask, as_plan_tasks, plan_errors, plan_schema, repair

PLANNER_SYSTEM = (
    "You break a question into at most {max_tasks} small sub-tasks that can each be "
    "answered with one search. Give every task a unique id and list in 'dependency' the "
    "ids of the tasks whose answers it needs; tasks without dependencies run in parallel. "
    "Example: 'Who was captain of the 2022 World Cup winner?' -> task 1: 'Which team won "
    "the 2022 World Cup?' (no dependency); task 2: 'Who was the captain of that team?' "
    "(dependency [1])."
)
PLANNER_REQUEST = "{conversation}Question: {question}"
REASK_PLAN = "That plan is not valid: {errors}. Reply with a corrected plan."


@dataclass
class PlanOutcome:
    """A valid plan and how it came about."""

    tasks: list[PlanTask]
    repairs: list[str]
    """What was changed to make the planner's plan valid."""
    fallbacks: list[FallbackNote]
    proposed: list[str] = field(default_factory=list)
    """Every query the planner proposed, kept or not (a re-plan may not ask them again)."""


def make_plan(
    caller: RoleCaller, question: str, turns: Sequence[Turn], max_tasks: int
) -> PlanOutcome:
    """A valid plan, the repairs made to get it, and a note if no reply was usable.

    The model's plan is re-asked once with its errors; if still invalid it is repaired
    (statements and repeats dropped, unknown dependencies dropped, cycles broken, extra
    tasks cut) and each change recorded.
    """
    request = PLANNER_REQUEST.format(conversation=conversation_block(turns), question=question)
    messages = [
        SystemMessage(PLANNER_SYSTEM.format(max_tasks=max_tasks)),
        HumanMessage(request),
    ]
    schema = plan_schema(max_tasks)
    tasks: list[PlanTask] = []
    notes: list[FallbackNote] = []
    proposed: list[str] = []
    for attempt in range(2):
        decision = decide(caller, messages, schema, fallback=schema(tasks=[]))
        notes = decision.notes("planner")
        tasks = as_plan_tasks(decision.value.tasks)
        if decision.fallback_used:
            tasks = _lenient_tasks(decision.last_reply)
        proposed.extend(t["query"] for t in tasks)
        errors = plan_errors(tasks, max_tasks)
        if not errors:
            return PlanOutcome(tasks, [], notes, proposed)
        if attempt == 0:
            messages = [*messages, HumanMessage(REASK_PLAN.format(errors="; ".join(errors)))]
    repaired, changes = repair(tasks, max_tasks, question)
    return PlanOutcome(repaired, changes, notes, proposed)


def _lenient_tasks(text: str) -> list[PlanTask]:
    try:
        return as_plan_tasks(parse_json_object(text, Plan).tasks)
    except (ValueError, ValidationError):
        return []
