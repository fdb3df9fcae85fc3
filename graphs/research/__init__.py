"""The research team: decide, plan sub-tasks with dependencies, run them in parallel, answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.answers import answer_report, answer_result, question_input
from graphs.common.spec import TeamSpec
from graphs.research.builder import build_graph, graph
from graphs.research.settings import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_REPLANS,
    DEFAULT_MAX_TASKS,
    ROLES,
    ResearchSettings,
)
from graphs.research.state import ResearchInput, ResearchState, TaskRecord


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a research run."""
    return {
        **answer_report("research", state),
        "answer_type": state.get("answer_type"),
        "plan": state.get("plan", []),
        "plan_repairs": state.get("plan_repairs", []),
        "tasks": list((state.get("tasks") or {}).values()),
        "replans": state.get("replans", 0),
    }


SPEC = TeamSpec(
    name="research",
    description="Decider chooses to answer at once or plan; Planner makes a dependency graph "
    "of sub-tasks; Executors run independent ones in parallel; Finalizer answers with "
    "numbered citations.",
    roles=ROLES,
    build_graph=build_graph,
    make_input=question_input,
    read_result=answer_result,
    report=report,
)

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_REPLANS",
    "DEFAULT_MAX_TASKS",
    "ROLES",
    "SPEC",
    "ResearchInput",
    "ResearchSettings",
    "ResearchState",
    "TaskRecord",
    "build_graph",
    "graph",
]
