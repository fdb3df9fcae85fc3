"""The research team's spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.answers import answer_report, answer_result, question_input
from graphs.common.spec import Routing, TeamSpec, lazy_build_graph
from graphs.research import narration
from graphs.research.result import RESULT, STOP_WORDS
from graphs.research.settings import (
    ROLES,
    ResearchSettings,
)
from tools.citations import numbers_in, renumber


def _numbered(task: Mapping[str, Any], sources: list[Any]) -> dict[str, Any]:
    """A task's record with its result's markers in the run's numbering (as in ``sources``)."""
    numbers = numbers_in(task.get("sources") or [], sources)
    return {**task, "result": renumber(str(task.get("result", "")), numbers)}


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a research run: every ``[n]`` is ``sources[n - 1]``."""
    tasks = list((state.get("tasks") or {}).values())
    return {
        **answer_report("research", state),
        "answer_type": state.get("answer_type"),
        "plan": state.get("plan", []),
        "plan_repairs": state.get("plan_repairs", []),
        "sources": state.get("sources", []),
        "tasks": [_numbered(task, state.get("sources") or []) for task in tasks],
        "replans": state.get("replans", 0),
    }


SPEC = TeamSpec(
    name="research",
    description="Decider chooses to answer at once or plan; Planner makes a dependency graph "
    "of sub-tasks; Executors run independent ones in parallel; Finalizer answers with "
    "numbered citations.",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.research"),
    settings=ResearchSettings,
    make_input=question_input,
    read_result=answer_result,
    report=report,
    request_key="question",
    result=RESULT,
    stop_words=STOP_WORDS,
    text_nodes=("execute", "finalize"),
    view=narration.view,
    uses_tools=True,
    approval="approve_plan",
    routing=Routing("finds facts and answers with citations", fallback=True),
)
