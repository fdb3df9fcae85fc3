"""The writer team's nodes and routes: plan, draft, critique, review, approve."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.approval import DRAFT_HOW, DraftAnswer, ask_until_valid, draft_reply
from agents.critic import critique_draft
from agents.manager import PiecePlan, plan_piece, review_piece
from agents.writer import write_draft
from graphs.common.crew import Crew
from graphs.common.reflection import critique_record, next_draft, revise_again
from graphs.writer.settings import WriterSettings
from graphs.writer.state import WriterState
from tools.kernel.errors import InputError

WriterCrew = Crew[WriterSettings]


def _plan_of(state: WriterState) -> PiecePlan:
    return PiecePlan.model_validate(state["plan"])


def manager_plan(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> dict[str, Any]:
    """The Manager plans the piece: audience, outline, key points (opens the run)."""
    topic = (state.get("topic") or "").strip()
    if not topic:
        raise InputError("The topic is empty: give the subject of the piece to write.")
    shift = crew.start(runtime)
    decision = plan_piece(shift.caller("manager"), topic, state.get("material", ""))
    return {
        "topic": topic,
        "plan": decision.value.model_dump(),
        "plan_fallback": decision.fallback_used,
        "revisions": 0,
        "manager_returns": 0,
        "manager_instructions": "",
        "stop_reason": None,
        "budget_stop": None,
        **shift.opening(decision.notes("manager")),
    }


def writer(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> dict[str, Any]:
    """The Writer drafts, or rewrites on the latest feedback (a person's or the Manager's first).

    A rewrite on a person's notes is the piece they see next: it goes back to them, not to
    the Critic, whose review against the plan would undo what they asked for.
    """
    shift = crew.shift(state, runtime)
    instructions = state.get("manager_instructions") or ""
    previous, feedback, update = next_draft(state)
    if instructions:
        feedback, update = instructions, {"manager_instructions": ""}
    text = write_draft(
        shift.caller("writer"),
        state["topic"],
        _plan_of(state),
        previous,
        feedback,
        state.get("material", ""),
        state.get("person_notes") or [],
    )
    if state.get("person_revision"):
        update = {
            **update,
            "final_text": text,
            "stop_reason": "human_revised",
            "person_revision": False,
        }
    return {**update, "drafts": [text], **shift.spent()}


def route_after_writer(state: WriterState) -> Literal["critic", "approve_draft"]:
    """A rewrite on a person's notes goes back to them; any other draft to the Critic."""
    return "approve_draft" if state.get("stop_reason") == "human_revised" else "critic"


def critic(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> dict[str, Any]:
    """The Critic reviews the latest draft against the plan."""
    shift = crew.shift(state, runtime)
    draft = state["drafts"][-1]
    decision = critique_draft(shift.caller("critic"), state["topic"], _plan_of(state), draft)
    record = critique_record(state, decision)
    return {"critiques": [record], "fallbacks": decision.notes("critic"), **shift.spent()}


def route_after_critique(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> Literal["writer", "manager_review"]:
    """Back to the Writer until the Critic approves or the revision cap is reached."""
    again = revise_again(state, crew.settings(runtime).max_revisions)
    return "writer" if again else "manager_review"


def manager_review(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> dict[str, Any]:
    """The Manager accepts the piece or sends it back (a bounded number of times)."""
    shift = crew.shift(state, runtime)
    drafts = state["drafts"]
    latest = state["critiques"][-1]
    decision = review_piece(
        shift.caller("manager"), state["topic"], _plan_of(state), drafts[-1], latest["feedback"]
    )
    verdict = decision.value
    review = {
        "draft": len(drafts) - 1,
        "accept": verdict.accept,
        "instructions": verdict.instructions,
        "fallback": decision.fallback_used,
    }
    update: dict[str, Any] = {
        "reviews": [review],
        "fallbacks": decision.notes("manager"),
        **shift.spent(),
    }
    returns = state.get("manager_returns", 0)
    if not verdict.accept and returns < shift.settings.max_manager_returns:
        update["manager_returns"] = returns + 1
        update["manager_instructions"] = verdict.instructions.strip() or latest["feedback"]
        return update
    update["final_text"] = drafts[-1]
    if not verdict.accept:
        update["stop_reason"] = "manager_return_limit"
    else:
        update["stop_reason"] = "approved" if latest["approved"] else "max_revisions"
    return update


def route_after_review(state: WriterState) -> Literal["writer", "approve_draft"]:
    """To the approval step once the Manager has decided, else back to the Writer."""
    return "approve_draft" if state.get("stop_reason") else "writer"


def approve_draft(
    state: WriterState, runtime: Runtime[WriterSettings], *, crew: WriterCrew
) -> dict[str, Any]:
    """With ``approve_draft``, a person approves the piece or sends it back with notes."""
    settings = crew.settings(runtime)
    if not settings.approve_draft:
        return {}
    if state.get("human_revisions", 0) >= settings.max_human_revisions:
        return {}
    payload = {
        "kind": "draft_approval",
        "topic": state["topic"],
        "text": state["final_text"],
        "stop_reason": state["stop_reason"],
        "how": DRAFT_HOW,
    }
    answer: DraftAnswer = ask_until_valid(payload, DraftAnswer, DRAFT_HOW, draft_reply)
    if answer.action == "approve":
        return {"stop_reason": "human_approved"}
    notes = answer.notes.strip()
    return {
        "manager_instructions": notes or "Improve the piece.",
        "person_notes": [*(state.get("person_notes") or []), *([notes] if notes else [])],
        "person_revision": True,
        "human_revisions": state.get("human_revisions", 0) + 1,
        "stop_reason": None,
    }


def route_after_approval(state: WriterState) -> Literal["writer", "__end__"]:
    """The end once approved (or not asked), else back to the Writer with the notes."""
    return "__end__" if state.get("stop_reason") else "writer"
