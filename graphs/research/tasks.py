"""The research team's task phase: each task starts once its own dependencies are done.

Design. One node, ``run_tasks``, runs a round of tasks (the plan, or a re-plan's
additions); each task is a LangGraph ``@task`` (``execute``) inside it.

- *Eager.* A graph of nodes runs in supersteps: a task sent with ``Send`` could start only
  when every branch of the step before had ended, so a quick chain waited behind any
  slow task beside it. Inside one node, each task starts the moment the
  :class:`~graphs.research.board.TaskBoard` sees its own dependencies finished and a slot
  free (``max_concurrency``).
- *Durable per task.* A finished ``@task`` is saved with the checkpoint at once, by
  itself; a run killed halfway re-enters ``run_tasks`` on resume and gets every finished
  task's saved result back instead of running it again (its calls stay in the run's
  ledger, which its call log restores). Only unfinished tasks run again.
- *Launched all at once, in plan order.* LangGraph names a ``@task`` call by its order
  among the calls of its node, and a resumed node is handed the saved result of the call
  with the same order. Launching each task only when its dependencies finish would make
  that order depend on which task finished first, which differs from run to run: a
  resume could then hand one task the result of another. So every unfinished task of the
  round is called at once, in plan order, and waits on the board inside its own call; a
  waiting task holds a worker thread, not a slot.
- *Seen live.* A task says it is running on the run's custom stream when it gets its
  slot, and its record comes back as the update of ``execute``, as the graph's nodes'
  updates do; the node's own update holds every record of the round and what was spent.
"""

from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, Future, wait
from dataclasses import dataclass
from typing import Any, Literal, cast

from langgraph.config import get_stream_writer
from langgraph.func import task
from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from agents.conversation import render_turns
from agents.executor import execute_task
from agents.llm.ledger import Ledger
from agents.llm.structured import FallbackNote
from agents.plans import PlanTask
from agents.tool_modes import ToolPolicy
from graphs.common.crew import Crew, Shift
from graphs.research.board import TaskBoard
from graphs.research.settings import ContextScope, ResearchSettings
from graphs.research.state import FINISHED, ResearchState, TaskRecord
from tools.kernel.errors import TeamgraphError

ResearchCrew = Crew[ResearchSettings]


class TaskStarted(TypedDict):
    """What the run's custom stream says when a task starts running."""

    kind: Literal["task"]
    task: int
    status: Literal["running"]


class TaskUpdate(TypedDict):
    """What one task returns (and the checkpoint keeps): its record, its fallbacks."""

    tasks: dict[str, TaskRecord]
    fallbacks: list[FallbackNote]


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


@dataclass(frozen=True)
class Round:
    """What the tasks of one round share: the run's state, its shift and the board."""

    state: ResearchState
    shift: Shift[ResearchSettings]
    board: TaskBoard
    tools: Any


def waiting_tasks(state: ResearchState) -> list[PlanTask]:
    """The planned tasks that have not finished, in plan order."""
    records = state.get("tasks") or {}
    return [
        t
        for t in state.get("plan") or []
        if records.get(str(t["id"]), {}).get("status") not in FINISHED
    ]


def run_tasks(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """Run every unfinished task, each as soon as its own dependencies are done."""
    shift = crew.shift(state, runtime)
    waiting = waiting_tasks(state)
    round_tasks = {planned["id"]: planned["dependency"] for planned in waiting}
    board = TaskBoard(state.get("tasks") or {}, shift.settings.max_concurrency, round_tasks)
    work = Round(state, shift, board, crew.tools())
    futures: list[Future[TaskUpdate]] = []
    for planned in waiting:
        future = execute(planned, work)
        future.add_done_callback(_board_hears(board, str(planned["id"])))
        futures.append(future)
    try:
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = next((f for f in futures if f in done and f.exception() is not None), None)
        if failed is not None:
            raise failed.exception()  # type: ignore[misc]
    finally:
        board.close()
    updates = [future.result() for future in futures]
    return {
        "tasks": {key: record for u in updates for key, record in u["tasks"].items()},
        "fallbacks": [note for u in updates for note in u["fallbacks"]],
        **shift.spent(),
    }


def _board_hears(board: TaskBoard, key: str) -> Any:
    """A done-callback telling ``board`` that task ``key`` finished (if it did not fail)."""

    def hear(future: Future[TaskUpdate]) -> None:
        if future.exception() is None:
            board.finish(key, future.result()["tasks"][key])

    return hear


def route_after_tasks(state: ResearchState) -> Literal["reflect", "finalize"]:
    """Reflect on the results, or answer at once on the A path."""
    return "finalize" if state.get("direct") else "reflect"


@task
def execute(planned: PlanTask, work: Round) -> TaskUpdate:
    """One task: wait for its dependencies and a slot, then the executor solves it.

    A failure of the task (a limit, a provider error) is its record, marked failed.
    """
    work.board.wait_for(planned["dependency"])
    with work.board.slot(planned["id"]):
        get_stream_writer()(TaskStarted(kind="task", task=planned["id"], status="running"))
        return _solve(planned, {**work.state, "tasks": work.board.records()}, work)


def _solve(planned: PlanTask, state: ResearchState, work: Round) -> TaskUpdate:
    key = str(planned["id"])
    settings = work.shift.settings
    policy: ToolPolicy = settings.tool_policy
    if policy == "auto":
        policy = "search" if work.shift.searches_first("executor") else "native"
    try:
        outcome = execute_task(
            work.shift.caller("executor", task=key),
            planned["id"],
            planned["query"],
            context_for(planned, state, settings.context_scope),
            work.tools,
            policy=policy,
            context_chars=settings.context_chars,
            tool_timeout_s=settings.tool_timeout_s,
        )
    except TeamgraphError as error:
        failed = _record(state, key, work.shift.ledger, status="failed", error=str(error))
        return TaskUpdate(tasks={key: failed}, fallbacks=[])
    done = _record(
        state,
        key,
        work.shift.ledger,
        status="done",
        tool=outcome.tool,
        queries=outcome.queries,
        result=outcome.result,
        sources=outcome.sources,
        context_chars=outcome.context_chars,
        fallbacks=outcome.fallbacks,
        tool_errors=outcome.tool_errors,
    )
    return TaskUpdate(tasks={key: done}, fallbacks=outcome.fallbacks)


def _record(state: ResearchState, key: str, ledger: Ledger, **outcome: Any) -> TaskRecord:
    """Task ``key``'s record with its ``outcome`` and what its calls spent."""
    spent = ledger.usage(task=key).get("executor")
    usage = {"usage": spent} if spent else {}
    return cast(TaskRecord, {**(state.get("tasks") or {}).get(key, {}), **outcome, **usage})
