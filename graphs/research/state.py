"""The research team's state: the question, the plan, each task's record, the answer."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

from agents.conversation import Turn
from agents.llm.structured import FallbackNote
from agents.llm.usage import RoleUsage
from agents.plans import PlanTask
from graphs.common.state import RunFields
from tools.citations import Citation
from tools.sources import Source

TaskStatus = Literal["waiting", "done", "failed"]
StopReason = Literal[
    "direct",
    "sufficient",
    "max_replans",
    "no_new_tasks",
    "plan_rejected",
    "max_calls",
    "max_tokens_total",
]
FINISHED = ("done", "failed")


class TaskRecord(TypedDict, total=False):
    """One sub-task as it runs: the plan entry plus status, result, sources and usage."""

    id: int
    query: str
    dependency: list[int]
    round: int
    """0 for the first plan, n for tasks added by the n-th re-plan."""
    status: TaskStatus
    tool: str
    """The tool(s) used, or ``internal_knowledge``."""
    queries: list[str]
    result: str
    sources: list[Source]
    error: str
    context_chars: int
    """Characters of dependency context the executor was given."""
    fallbacks: list[FallbackNote]
    """The executor's decisions for this task whose replies never validated."""
    tool_errors: list[str]
    """What each of the task's failed tool calls said (empty when none failed)."""
    usage: RoleUsage


def merge_records(
    left: dict[str, TaskRecord] | None, right: dict[str, TaskRecord] | None
) -> dict[str, TaskRecord]:
    """Reducer: update task records field by field (parallel branches write distinct ids)."""
    merged: dict[str, TaskRecord] = dict(left or {})
    for key, record in (right or {}).items():
        merged[key] = TaskRecord(**{**merged.get(key, {}), **record})
    return merged


def waiting(tasks: Sequence[PlanTask], round_number: int) -> dict[str, TaskRecord]:
    """Records of newly planned tasks, all waiting."""
    return {
        str(t["id"]): TaskRecord(
            id=t["id"],
            query=t["query"],
            dependency=list(t["dependency"]),
            round=round_number,
            status="waiting",
        )
        for t in tasks
    }


class ResearchInput(TypedDict):
    """What a caller gives the team."""

    question: str
    """The question to answer."""


class ResearchState(RunFields, total=False):
    """Everything the team's nodes read and write (per-run fields reset by ``decide``)."""

    question: str
    """The current question."""
    turns: Annotated[list[Turn], operator.add]
    """Earlier questions and answers of this thread."""
    answer_type: dict[str, str]
    """The decider's ``{"reason", "type"}``."""
    direct: bool
    """True on the A path (the question itself is the only task)."""
    plan: list[PlanTask]
    """Every task planned so far, including re-plan additions."""
    plan_repairs: list[str]
    """What was changed to make the planner's plan (or a re-plan) valid."""
    asked: list[str]
    """Every query proposed in this run, kept or dropped: a re-plan may not ask them again."""
    tasks: Annotated[dict[str, TaskRecord], merge_records]
    """Task id (as text) -> its record."""
    replans: int
    """Re-plans made in this run."""
    reflections: list[dict[str, Any]]
    """Every reflection, in order."""
    answer: str
    """The final answer."""
    sources: list[Citation]
    """Every source the tasks returned, numbered: those the answer cites first."""
    citations: list[Citation]
    """The sources the answer cites, numbered 1..k as its ``[n]`` markers are."""
    citations_dropped: int
    """Markers the model wrote that referred to no source (removed from the answer)."""
    citations_moved: int
    """Markers moved to the source that holds their sentence (the model cited another)."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
