"""The research team's nodes around the tasks: decide, plan, approve the plan, answer."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.approval import PLAN_HOW, PlanAnswer, ask_until_valid, plan_reply
from agents.conversation import Turn
from agents.decider import AnswerType, decide_answer_type
from agents.finalizer import TaskResult, write_final_answer
from agents.llm.structured import FallbackNote
from agents.planner import make_plan
from agents.plans import PlanTask, as_plan_tasks, plan_errors, repair
from graphs.common.crew import Crew
from graphs.research.settings import ResearchSettings
from graphs.research.state import ResearchState, waiting
from graphs.research.tasks import records_in_plan_order
from tools.citations import finish_answer
from tools.kernel.errors import InputError

ResearchCrew = Crew[ResearchSettings]


def decide(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """Answer at once (A: the question is the only task) or plan (B); opens the run."""
    question = (state.get("question") or "").strip()
    if not question:
        raise InputError("The question is empty: ask something.")
    shift = crew.start(runtime)
    forced = shift.settings.answer_type
    notes: list[FallbackNote] = []
    if forced in ("A", "B"):
        choice = AnswerType(reason="Set by the answer_type setting.", type=forced)
    else:
        decision = decide_answer_type(shift.caller("decider"), question, state.get("turns") or [])
        choice, notes = decision.value, decision.notes("decider")
    direct = choice.type == "A"
    plan = [PlanTask(id=1, query=question, dependency=[])] if direct else []
    return {
        "question": question,
        "answer_type": choice.model_dump(),
        "direct": direct,
        "plan": plan,
        "plan_repairs": [],
        "asked": [t["query"] for t in plan],
        "tasks": Overwrite(waiting(plan, 0)),
        "replans": 0,
        "reflections": [],
        "answer": "",
        "sources": [],
        "citations": [],
        "stop_reason": None,
        "budget_stop": None,
        **shift.opening(notes),
    }


def route_after_decide(state: ResearchState) -> Literal["plan", "run_tasks"]:
    """Straight to the tasks on the A path, else to the planner."""
    return "run_tasks" if state["direct"] else "plan"


def plan(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """The planner splits the question into tasks with dependencies (checked, repaired)."""
    shift = crew.shift(state, runtime)
    planned = make_plan(
        shift.caller("planner"),
        state["question"],
        state.get("turns") or [],
        shift.settings.max_tasks,
    )
    return {
        "plan": planned.tasks,
        "plan_repairs": planned.repairs,
        "asked": [*planned.proposed, *(t["query"] for t in planned.tasks)],
        "tasks": waiting(planned.tasks, 0),
        "fallbacks": planned.fallbacks,
        **shift.spent(),
    }


def approve_plan(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """With ``approve_plan``, a person approves, edits or rejects the plan."""
    settings = crew.settings(runtime)
    if not settings.approve_plan:
        return {}
    payload = {
        "kind": "plan_approval",
        "question": state["question"],
        "plan": state["plan"],
        "repairs": state.get("plan_repairs") or [],
        "how": PLAN_HOW,
    }
    answer: PlanAnswer = ask_until_valid(payload, PlanAnswer, PLAN_HOW, plan_reply)
    if answer.action == "reject":
        reason = answer.reason or "no reason given"
        return {"stop_reason": "plan_rejected", "answer": f"The plan was rejected: {reason}."}
    if answer.action == "approve":
        return {}
    edited, repairs = as_plan_tasks(answer.tasks), list[str]()
    if plan_errors(edited, settings.max_tasks):
        edited, repairs = repair(edited, settings.max_tasks, state["question"])
    return {
        "plan": edited,
        "plan_repairs": [
            *(state.get("plan_repairs") or []),
            "edited by a person",
            *(f"edited plan: {r}" for r in repairs),
        ],
        "tasks": Overwrite(waiting(edited, 0)),
    }


def route_after_approval(state: ResearchState) -> Literal["run_tasks", "__end__"]:
    """The end if a person rejected the plan, else the tasks."""
    return "__end__" if state.get("stop_reason") == "plan_rejected" else "run_tasks"


def finalize(
    state: ResearchState, runtime: Runtime[ResearchSettings], *, crew: ResearchCrew
) -> dict[str, Any]:
    """The finalizer answers from the finished tasks, citing their numbered sources."""
    shift = crew.shift(state, runtime)
    finished = [
        TaskResult(
            id=r["id"], query=r["query"], result=r.get("result", ""), sources=r.get("sources") or []
        )
        for r in records_in_plan_order(state)
        if r.get("status") == "done"
    ]
    final = write_final_answer(
        shift.caller("finalizer"), state["question"], state.get("turns") or [], finished
    )
    cited = finish_answer(final.text, final.sources)
    return {
        "fallbacks": final.fallbacks,
        "answer": cited.text,
        "sources": cited.sources,
        "citations": cited.citations,
        "citations_dropped": cited.dropped,
        "citations_moved": cited.moved,
        "turns": [Turn(question=state["question"], answer=cited.text)],
        "stop_reason": state.get("stop_reason") or "direct",
        **shift.spent(),
    }
