"""Plans of sub-tasks with dependencies: validation, repair and scheduling.

A plan is ``[{"id": int, "query": str, "dependency": [int, ...]}]``. A valid plan has
unique ids, asks each question once, depends only on other existing ids, has no cycle
and at most ``max_tasks`` tasks. :func:`repair` turns any plan into a valid one and says
what it changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Annotated

from pydantic import BaseModel, Field, create_model
from typing_extensions import TypedDict

from agents.wire import stripped

Query = Annotated[str, stripped(200)]


class PlanTask(TypedDict):
    """One sub-task of a plan."""

    id: int
    query: str
    dependency: list[int]


class PlannedTask(BaseModel):
    """The planner's wire format for one task."""

    id: int = Field(ge=1, le=99, description="A unique number for this task, 1, 2, 3...")
    query: Query = Field(description="The sub-question to answer.")
    dependency: list[int] = Field(
        max_length=10, description="Ids of the tasks whose results this task needs."
    )


class Plan(BaseModel):
    """The planner's wire format: ``{"tasks": [...]}``."""

    tasks: list[PlannedTask] = Field(max_length=12, description="The sub-tasks, in any order.")


def plan_schema(max_tasks: int) -> type[Plan]:
    """The Plan wire format with at most ``max_tasks`` tasks (enforced while generating)."""
    return create_model(
        "Plan",
        __base__=Plan,
        tasks=(
            list[PlannedTask],
            Field(max_length=max_tasks, description="The sub-tasks, in any order."),
        ),
    )


def as_plan_tasks(tasks: Iterable[PlannedTask]) -> list[PlanTask]:
    """Plain dicts of planned tasks (the form kept in state)."""
    return [PlanTask(id=t.id, query=t.query.strip(), dependency=list(t.dependency)) for t in tasks]


def find_cycle(tasks: Sequence[PlanTask]) -> list[int] | None:
    """Ids along one dependency cycle, or None if the plan is acyclic."""
    graph = {t["id"]: [d for d in t["dependency"]] for t in tasks}
    state: dict[int, int] = {}
    path: list[int] = []

    def visit(node: int) -> list[int] | None:
        state[node] = 1
        path.append(node)
        for dep in graph.get(node, []):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                return path[path.index(dep) :] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for task_id in graph:
        if task_id not in state:
            cycle = visit(task_id)
            if cycle:
                return cycle
    return None


def same_question(query: str) -> str:
    """``query`` folded so that two wordings differing only in case, spacing or end marks match."""
    return re.sub(r"\s+", " ", query.casefold()).strip(" ?!.")


ASKING_WORDS = frozenset(
    "who whom whose what when where which why how is are was were do does did can could "
    "should would will has have had list find name give compare combine summarise summarize "
    "describe explain calculate compute count identify determine look search get tell "
    "estimate rank check verify show state define translate convert outline collect gather "
    "research analyse analyze evaluate".split()
)


def is_question(query: str) -> bool:
    """Whether ``query`` asks for something: a question, a request, or a terse search.

    A declarative sentence ("Brazil won the 2002 World Cup.") states, it does not ask.
    """
    text = query.strip()
    words = text.split()
    if not words:
        return False
    if text.endswith("?") or words[0].casefold().strip("\"'(") in ASKING_WORDS:
        return True
    return not text.endswith((".", "!"))


def repeated_questions(tasks: Sequence[PlanTask]) -> dict[int, int]:
    """Task id -> id of the earlier task asking the same question (ids must be unique)."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for task in tasks:
        key = same_question(task["query"])
        if key in first:
            repeats[task["id"]] = first[key]
        else:
            first[key] = task["id"]
    return repeats


def plan_errors(tasks: Sequence[PlanTask], max_tasks: int) -> list[str]:
    """Everything wrong with a plan, one sentence each (empty if it is valid)."""
    errors: list[str] = []
    if not tasks:
        return ["the plan has no tasks"]
    if len(tasks) > max_tasks:
        errors.append(f"the plan has {len(tasks)} tasks; at most {max_tasks} are allowed")
    ids = [t["id"] for t in tasks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        errors.append(f"task ids must be unique; repeated: {duplicates}")
    else:
        for later, earlier in repeated_questions(tasks).items():
            errors.append(f"task {later} asks the same question as task {earlier}")
    known = set(ids)
    for task in tasks:
        if not is_question(task["query"]):
            errors.append(f"task {task['id']} is a statement, not a question: {task['query']!r}")
        if task["id"] in task["dependency"]:
            errors.append(f"task {task['id']} depends on itself")
        unknown = sorted(set(task["dependency"]) - known)
        if unknown:
            errors.append(f"task {task['id']} depends on unknown tasks {unknown}")
    if not duplicates:
        cycle = find_cycle(tasks)
        if cycle:
            errors.append("dependencies form a cycle: " + " -> ".join(map(str, cycle)))
    return errors


def repair(
    tasks: Sequence[PlanTask], max_tasks: int, question: str
) -> tuple[list[PlanTask], list[str]]:
    """A valid plan close to ``tasks``, and the list of changes made."""
    changes: list[str] = []
    kept: list[PlanTask] = []
    seen: set[int] = set()
    for task in tasks:
        if task["id"] in seen:
            changes.append(f"dropped task {task['id']} (a repeated id)")
            continue
        if not is_question(task["query"]):
            changes.append(f"dropped task {task['id']} (a statement, not a question)")
            continue
        seen.add(task["id"])
        kept.append(
            PlanTask(id=task["id"], query=task["query"], dependency=list(task["dependency"]))
        )
    repeats = repeated_questions(kept)
    if repeats:
        kept = [t for t in kept if t["id"] not in repeats]
        for task in kept:
            task["dependency"] = list(dict.fromkeys(repeats.get(d, d) for d in task["dependency"]))
        changes.extend(
            f"dropped task {later} (the same question as task {earlier})"
            for later, earlier in repeats.items()
        )
    if len(kept) > max_tasks:
        changes.append(f"cut the plan from {len(kept)} to {max_tasks} tasks")
        kept = kept[:max_tasks]
    known = {t["id"] for t in kept}
    for task in kept:
        bad = [d for d in task["dependency"] if d not in known or d == task["id"]]
        if bad:
            changes.append(f"task {task['id']}: dropped dependencies on {sorted(set(bad))}")
            task["dependency"] = [d for d in task["dependency"] if d in known and d != task["id"]]
    while (cycle := find_cycle(kept)) is not None:
        source, target = cycle[-2], cycle[-1]
        for task in kept:
            if task["id"] == source:
                task["dependency"].remove(target)
        changes.append(
            f"broke the cycle {' -> '.join(map(str, cycle))} by dropping {source} -> {target}"
        )
    if not kept:
        kept = [PlanTask(id=1, query=question, dependency=[])]
        changes.append("the plan was empty: the question itself became the only task")
    return kept, changes


def vet_additions(queries: Sequence[str], asked: Iterable[str]) -> tuple[list[str], list[str]]:
    """The queries fit to add to a plan, and why each other one was dropped.

    A new task must ask something not asked before in the run (``asked`` holds every
    query planned or dropped so far), be a question, and not be empty.
    """
    seen = {same_question(query) for query in asked}
    kept: list[str] = []
    dropped: list[str] = []
    for query in queries:
        key = same_question(query)
        if not key:
            dropped.append("dropped an empty task")
        elif key in seen:
            dropped.append(f"dropped {query.strip()!r} (asked before in this run)")
        elif not is_question(query):
            dropped.append(f"dropped {query.strip()!r} (a statement, not a question)")
        else:
            kept.append(query.strip())
        seen.add(key)
    return kept, dropped


def ready_tasks(
    plan: Sequence[PlanTask], finished: Iterable[int], started: Iterable[int]
) -> list[PlanTask]:
    """Tasks not yet started whose dependencies have all finished, in plan order."""
    done, begun = set(finished), set(started)
    return [
        task
        for task in plan
        if task["id"] not in begun and all(dep in done for dep in task["dependency"])
    ]
