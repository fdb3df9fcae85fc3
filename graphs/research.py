"""The research team (LINER-style): decide, plan a dependency graph, run it, answer.

``decide`` chooses A (answer at once: one task, the question itself) or B (``plan``).
``schedule`` starts every task whose dependencies are done, up to ``max_concurrency`` at
a time, each as its own ``execute`` branch (``Send``) that sees only its dependencies'
results; ``schedule`` runs again once every branch of that step has finished. When all
are done, ``reflect`` may add tasks (at most ``max_replans`` times);
``finalize`` writes the answer with numbered citations.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from langgraph.types import Overwrite, Send
from typing_extensions import TypedDict

from agents.approval import PLAN_HOW, PlanAnswer, ask_until_valid
from agents.calls import reply_text
from agents.citations import Citation, cite
from agents.conversation import Turn, render_turns
from agents.decider import AnswerType, decide_answer_type
from agents.errors import InputError, TeamgraphError
from agents.executor import DEFAULT_CONTEXT_CHARS, ToolPolicy, execute_task
from agents.finalizer import TaskResult, write_final_answer
from agents.models import LOCAL, ModelSetting, RoleModels
from agents.planner import make_plan
from agents.plans import PlanTask, as_plan_tasks, plan_errors, ready_tasks, repair
from agents.reflector import reflect
from agents.usage import RoleUsage, UsageByRole, merge_usage, usage_of
from graphs.budgeted import BudgetStop, stop_on_budget, with_budget
from tools.lazy import ToolsOnDemand
from tools.sources import Source

ROLES = ("decider", "planner", "executor", "finalizer")
DEFAULT_MAX_TASKS = 6
DEFAULT_MAX_CONCURRENCY = 4
DEFAULT_MAX_REPLANS = 1
TaskStatus = Literal["waiting", "running", "done", "failed"]
StopReason = Literal[
    "direct",
    "sufficient",
    "max_replans",
    "no_new_tasks",
    "plan_rejected",
    "max_calls",
    "max_tokens_total",
]
ContextScope = Literal["dependencies", "all"]
AnswerTypeSetting = Literal["auto", "A", "B"]
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
    usage: RoleUsage


def merge_records(
    left: dict[str, TaskRecord] | None, right: dict[str, TaskRecord] | None
) -> dict[str, TaskRecord]:
    """Reducer: update task records field by field (parallel branches write distinct ids)."""
    merged: dict[str, TaskRecord] = dict(left or {})
    for key, record in (right or {}).items():
        merged[key] = TaskRecord(**{**merged.get(key, {}), **record})
    return merged


class ResearchInput(TypedDict):
    """What a caller gives the team."""

    question: str
    """The question to answer."""


class ResearchState(TypedDict, total=False):
    """Everything the team's nodes read and write (per-run fields reset by ``decide``)."""

    question: str
    """The current question."""
    turns: Annotated[list[Turn], operator.add]
    """Earlier questions and answers of this thread."""
    models: dict[str, str]
    """Role -> model name used in this run."""
    answer_type: dict[str, str]
    """The decider's ``{"reason", "type"}``."""
    direct: bool
    """True on the A path (the question itself is the only task)."""
    plan: list[PlanTask]
    """Every task planned so far, including re-plan additions."""
    plan_repairs: list[str]
    """What was changed to make the planner's plan valid."""
    tasks: Annotated[dict[str, TaskRecord], merge_records]
    """Task id (as text) -> its record."""
    replans: int
    """Re-plans made in this run."""
    reflections: list[dict[str, Any]]
    """Every reflection, in order."""
    answer: str
    """The final answer."""
    sources: list[Source]
    """Every source the tasks returned, numbered by position (1-based)."""
    citations: list[Citation]
    """The sources the answer cites."""
    stop_reason: StopReason
    """Which rule ended the run."""
    budget_stop: BudgetStop | None
    """The run limit that ended the run, if one did."""
    usage: Annotated[UsageByRole, merge_usage]
    """Per-role calls and tokens of this run."""


class ExecuteInput(TypedDict):
    """What one ``execute`` branch receives: its task and only its dependencies' results."""

    task: PlanTask
    context: str


@dataclass
class ResearchContext:
    """Per-run settings (editable in Studio); unset fields keep build_graph's values."""

    max_tasks: int | None = None
    max_concurrency: int | None = None
    max_replans: int | None = None
    answer_type: AnswerTypeSetting | None = None
    approve_plan: bool | None = None


def _records_in_plan_order(state: ResearchState) -> list[TaskRecord]:
    records = state.get("tasks") or {}
    return [records[str(t["id"])] for t in state.get("plan") or [] if str(t["id"]) in records]


def _context_for(task: PlanTask, state: ResearchState, scope: ContextScope) -> str:
    records = state.get("tasks") or {}
    if scope == "all":
        wanted = [r for r in _records_in_plan_order(state) if r.get("status") in FINISHED]
    else:
        wanted = [records[str(d)] for d in task["dependency"] if str(d) in records]
    lines = []
    for record in wanted:
        text = (
            record.get("result")
            if record.get("status") == "done"
            else (f"(failed: {record.get('error', 'unknown error')})")
        )
        lines.append(f"Task {record['id']} ({record['query']}): {text}")
    if state.get("direct") and state.get("turns"):
        lines.insert(0, "Conversation so far:\n" + render_turns(state["turns"]))
    return "\n".join(lines)


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    max_tasks: int = DEFAULT_MAX_TASKS,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    max_replans: int = DEFAULT_MAX_REPLANS,
    tool_policy: ToolPolicy = "auto",
    context_scope: ContextScope = "dependencies",
    context_chars: int = DEFAULT_CONTEXT_CHARS,
    answer_type: AnswerTypeSetting = "auto",
    approve_plan: bool = False,
    max_calls: int | None = None,
    max_tokens_total: int | None = None,
    check_models: bool = True,
) -> CompiledStateGraph[ResearchState, ResearchContext, ResearchInput, ResearchState]:
    """Build the research team.

    Args:
        models: role (``decider``, ``planner``, ``executor``, ``finalizer``) -> model.
        tools: the executor's tools (default: the toolbox of ``tools.registry``).
        checkpointer: saver for threads and resume, passed to ``compile``.
        store: long-term store, passed to ``compile``.
        max_tasks: most tasks in a plan.
        max_concurrency: most tasks running at once.
        max_replans: most times the reflection may add tasks.
        tool_policy: ``model`` lets the executor choose tools and write queries;
            ``search`` sends each task's query to every retrieval tool; ``auto`` is
            ``search`` for the embedded model and ``model`` otherwise.
        context_scope: ``dependencies`` (each task sees only its dependencies' results)
            or ``all`` (every finished result; a baseline for benchmarks).
        context_chars: dependency context over this size is summarised.
        answer_type: ``auto`` lets the decider choose; ``A`` (answer at once) or ``B``
            (always plan) skip it.
        approve_plan: stop after planning (``interrupt``) until a person approves,
            edits or rejects the plan; resume with ``Command(resume={"action": ...})``.
        max_calls: most model calls in one run, across every role (None: no limit).
        max_tokens_total: most tokens (input + output) in one run (None: no limit).
        check_models: check the model settings now (else at the first model call).
    """
    if max_tasks < 1 or max_concurrency < 1 or max_replans < 0:
        raise ValueError("max_tasks and max_concurrency must be 1 or more, max_replans 0 or more.")
    role_models = RoleModels(ROLES, models, check=check_models)
    toolset = ToolsOnDemand(tools)
    policy: ToolPolicy = tool_policy
    if policy == "auto":
        policy = "search" if role_models.setting("executor") == LOCAL else "model"

    def settings(runtime: Runtime[ResearchContext]) -> ResearchContext:
        given = runtime.context if runtime.context is not None else ResearchContext()
        return ResearchContext(
            max_tasks=given.max_tasks or max_tasks,
            max_concurrency=given.max_concurrency or max_concurrency,
            max_replans=max_replans if given.max_replans is None else given.max_replans,
            answer_type=given.answer_type or answer_type,
            approve_plan=approve_plan if given.approve_plan is None else given.approve_plan,
        )

    def decide(state: ResearchState, runtime: Runtime[ResearchContext]) -> dict[str, Any]:
        question = (state.get("question") or "").strip()
        if not question:
            raise InputError("The question is empty: ask something.")
        forced = settings(runtime).answer_type
        if forced in ("A", "B"):
            choice = AnswerType(reason="Set by the answer_type setting.", type=forced)
            responses: list[AIMessage] = []
        else:
            decision = decide_answer_type(
                role_models.get("decider"), question, state.get("turns") or []
            )
            choice, responses = decision.value, decision.responses
        direct = choice.type == "A"
        plan = [PlanTask(id=1, query=question, dependency=[])] if direct else []
        return {
            "question": question,
            "models": role_models.labels(),
            "answer_type": choice.model_dump(),
            "direct": direct,
            "plan": plan,
            "plan_repairs": [],
            "tasks": Overwrite(_waiting(plan, 0)),
            "replans": 0,
            "reflections": [],
            "answer": "",
            "sources": [],
            "citations": [],
            "stop_reason": None,
            "budget_stop": None,
            "usage": Overwrite(usage_of("decider", responses)),
        }

    def route_after_decide(state: ResearchState) -> Literal["plan", "schedule"]:
        return "schedule" if state["direct"] else "plan"

    def plan(state: ResearchState, runtime: Runtime[ResearchContext]) -> ResearchState:
        cap = settings(runtime).max_tasks or max_tasks
        tasks, repairs, replies = make_plan(
            role_models.get("planner"), state["question"], state.get("turns") or [], cap
        )
        return {
            "plan": tasks,
            "plan_repairs": repairs,
            "tasks": _waiting(tasks, 0),
            "usage": usage_of("planner", replies),
        }

    def approve(state: ResearchState, runtime: Runtime[ResearchContext]) -> dict[str, Any]:
        if not settings(runtime).approve_plan:
            return {}
        payload = {
            "kind": "plan_approval",
            "question": state["question"],
            "plan": state["plan"],
            "repairs": state.get("plan_repairs") or [],
            "how": PLAN_HOW,
        }
        answer: PlanAnswer = ask_until_valid(payload, PlanAnswer, PLAN_HOW)
        if answer.action == "reject":
            reason = answer.reason or "no reason given"
            return {"stop_reason": "plan_rejected", "answer": f"The plan was rejected: {reason}."}
        if answer.action == "approve":
            return {}
        cap = settings(runtime).max_tasks or max_tasks
        edited, repairs = as_plan_tasks(answer.tasks), list[str]()
        if plan_errors(edited, cap):
            edited, repairs = repair(edited, cap, state["question"])
        return {
            "plan": edited,
            "plan_repairs": [
                *(state.get("plan_repairs") or []),
                "edited by a person",
                *(f"edited plan: {r}" for r in repairs),
            ],
            "tasks": Overwrite(_waiting(edited, 0)),
        }

    def route_after_approve(state: ResearchState) -> Literal["schedule", "__end__"]:
        return "__end__" if state.get("stop_reason") == "plan_rejected" else "schedule"

    def schedule(state: ResearchState, runtime: Runtime[ResearchContext]) -> ResearchState:
        records = state.get("tasks") or {}
        finished = [int(k) for k, r in records.items() if r.get("status") in FINISHED]
        started = [int(k) for k, r in records.items() if r.get("status") != "waiting"]
        slots = settings(runtime).max_concurrency or max_concurrency
        ready = ready_tasks(state.get("plan") or [], finished, started)[:slots]
        return {"tasks": {str(t["id"]): {"status": "running"} for t in ready}}

    def route_after_schedule(state: ResearchState) -> list[Send] | Literal["reflect", "finalize"]:
        running = [
            t
            for t in state.get("plan") or []
            if (state.get("tasks") or {}).get(str(t["id"]), {}).get("status") == "running"
        ]
        if running:
            return [
                Send("execute", ExecuteInput(task=t, context=_context_for(t, state, context_scope)))
                for t in running
            ]
        return "finalize" if state.get("direct") else "reflect"

    def execute(state: ExecuteInput) -> ResearchState:
        task = state["task"]
        key = str(task["id"])
        try:
            outcome = execute_task(
                role_models.get("executor"),
                task["id"],
                task["query"],
                state["context"],
                toolset(),
                policy=policy,
                context_chars=context_chars,
            )
        except TeamgraphError as error:
            return {"tasks": {key: {"status": "failed", "error": str(error)}}}
        usage = usage_of("executor", outcome.replies)
        return {
            "tasks": {
                key: {
                    "status": "done",
                    "tool": outcome.tool,
                    "queries": outcome.queries,
                    "result": outcome.result,
                    "sources": outcome.sources,
                    "context_chars": outcome.context_chars,
                    "usage": usage["executor"],
                }
            },
            "usage": usage,
        }

    def reflect_node(state: ResearchState, runtime: Runtime[ResearchContext]) -> ResearchState:
        done = [
            (r["id"], r["query"], r.get("result") or f"(failed: {r.get('error', '')})")
            for r in _records_in_plan_order(state)
        ]
        decision = reflect(role_models.get("planner"), state["question"], done)
        verdict = decision.value
        update: ResearchState = {
            "reflections": [*(state.get("reflections") or []), verdict.model_dump()],
            "usage": usage_of("planner", decision.responses),
        }
        if verdict.sufficient:
            update["stop_reason"] = "sufficient"
            return update
        limit = settings(runtime).max_replans
        if (state.get("replans") or 0) >= (max_replans if limit is None else limit):
            update["stop_reason"] = "max_replans"
            return update
        current = state.get("plan") or []
        known = {t["id"] for t in current}
        room = (settings(runtime).max_tasks or max_tasks) - len(current)
        next_id = max(known, default=0) + 1
        added: list[PlanTask] = []
        for new in verdict.new_tasks[: max(room, 0)]:
            deps = sorted({d for d in new.dependency if d in known})
            added.append(
                PlanTask(id=next_id + len(added), query=new.query.strip(), dependency=deps)
            )
        if not added:
            update["stop_reason"] = "no_new_tasks"
            return update
        replans = (state.get("replans") or 0) + 1
        update.update(
            {"plan": [*current, *added], "tasks": _waiting(added, replans), "replans": replans}
        )
        return update

    def route_after_reflect(state: ResearchState) -> Literal["schedule", "finalize"]:
        return "finalize" if state.get("stop_reason") else "schedule"

    def finalize(state: ResearchState) -> ResearchState:
        finished: list[TaskResult] = [
            TaskResult(
                id=r["id"],
                query=r["query"],
                result=r.get("result", ""),
                sources=r.get("sources") or [],
            )
            for r in _records_in_plan_order(state)
            if r.get("status") == "done"
        ]
        reply, sources = write_final_answer(
            role_models.get("finalizer"), state["question"], state.get("turns") or [], finished
        )
        answer = reply_text(reply)
        return {
            "answer": answer,
            "sources": sources,
            "citations": cite(answer, sources),
            "turns": [Turn(question=state["question"], answer=answer)],
            "stop_reason": state.get("stop_reason") or "direct",
            "usage": usage_of("finalizer", [reply]),
        }

    builder = StateGraph(ResearchState, input_schema=ResearchInput, context_schema=ResearchContext)
    builder.set_node_defaults(error_handler=stop_on_budget("answer"))
    builder.add_node("decide", decide)
    builder.add_node("plan", plan)
    builder.add_node("schedule", schedule)
    builder.add_node("execute", execute, input_schema=ExecuteInput)
    builder.add_node("reflect", reflect_node)
    builder.add_node("finalize", finalize)
    builder.add_edge(START, "decide")
    builder.add_conditional_edges("decide", route_after_decide)
    builder.add_node("approve_plan", approve)
    builder.add_edge("plan", "approve_plan")
    builder.add_conditional_edges("approve_plan", route_after_approve)
    builder.add_conditional_edges(
        "schedule", route_after_schedule, ["execute", "reflect", "finalize"]
    )
    builder.add_edge("execute", "schedule")
    builder.add_conditional_edges("reflect", route_after_reflect)
    compiled = builder.compile(checkpointer=checkpointer, store=store, name="research")
    return with_budget(compiled, max_calls, max_tokens_total)


def _waiting(tasks: Sequence[PlanTask], round_number: int) -> dict[str, TaskRecord]:
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


graph = build_graph(check_models=False)
"""The team with the env/default models, for ``langgraph.json`` (settings checked at run time)."""
