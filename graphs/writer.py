"""The writer team: Manager plans -> Writer drafts <-> Critic reviews -> Manager judges.

The reflection cycle runs until the Critic approves or ``max_revisions`` rewrites have
been made; the Manager then accepts the piece or sends it back (at most
``max_manager_returns`` times) with instructions.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from typing_extensions import TypedDict

from agents.approval import DRAFT_HOW, DraftAnswer, ask_until_valid
from agents.critic import critique_draft
from agents.errors import InputError
from agents.manager import PiecePlan, plan_piece, review_piece
from agents.models import ModelSetting, RoleModels, model_label
from agents.usage import UsageByRole, merge_usage, usage_of
from agents.writer import write_draft
from graphs.budgeted import BudgetStop, stop_on_budget, with_budget

ROLES = ("manager", "writer", "critic")
DEFAULT_MAX_REVISIONS = 3
DEFAULT_MAX_MANAGER_RETURNS = 1

StopReason = Literal[
    "approved",
    "max_revisions",
    "manager_return_limit",
    "human_approved",
    "max_calls",
    "max_tokens_total",
]
DEFAULT_MAX_HUMAN_REVISIONS = 3


class CritiqueRecord(TypedDict):
    """One critique of one draft, and how it was obtained."""

    draft: int
    """Index into ``drafts`` of the draft reviewed."""
    approved: bool
    score: int
    feedback: str
    attempts: int
    """How many times the Critic was asked before its reply validated."""
    fallback: bool
    """True if the reply never validated and the documented fallback was used."""


class ReviewRecord(TypedDict):
    """One judgement of the Manager on the finished piece."""

    draft: int
    accept: bool
    instructions: str
    fallback: bool


class WriterInput(TypedDict, total=False):
    """What a caller gives the team (``topic`` is required)."""

    topic: str
    """The subject of the piece."""
    material: str
    """Facts to build on, e.g. a research answer with its numbered citations."""


class WriterState(TypedDict, total=False):
    """Everything the team's nodes read and write."""

    topic: str
    """The subject of the piece."""
    material: str
    """Facts to build on (may be empty)."""
    models: dict[str, str]
    """Role -> model name used in this run."""
    plan: dict[str, Any]
    """The Manager's brief: audience, outline and key points."""
    plan_fallback: bool
    """True if the Manager's plan never validated and the fallback plan was used."""
    drafts: Annotated[list[str], operator.add]
    """Every draft, first to last."""
    critiques: Annotated[list[CritiqueRecord], operator.add]
    """Every critique, in order."""
    reviews: Annotated[list[ReviewRecord], operator.add]
    """Every judgement of the Manager, in order."""
    revisions: int
    """Rewrites made on the Critic's feedback so far."""
    manager_returns: int
    """Times the Manager has sent the piece back."""
    manager_instructions: str
    """The Manager's pending instructions for the Writer ("" when none)."""
    final_text: str
    """The finished piece."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
    budget_stop: BudgetStop | None
    """The run limit that ended the run, if one did."""
    human_revisions: int
    """Times a person sent the piece back at the approval step."""
    usage: Annotated[UsageByRole, merge_usage]
    """Per-role calls and tokens."""


@dataclass
class WriterContext:
    """Per-run settings (editable in Studio); empty fields keep build_graph's values."""

    max_revisions: int | None = None
    approve_draft: bool | None = None
    manager_model: str = ""
    writer_model: str = ""
    critic_model: str = ""


def _context(runtime: Runtime[WriterContext]) -> WriterContext:
    return runtime.context if runtime.context is not None else WriterContext()


def _plan_of(state: WriterState) -> PiecePlan:
    return PiecePlan.model_validate(state["plan"])


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Any = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    max_revisions: int = DEFAULT_MAX_REVISIONS,
    max_manager_returns: int = DEFAULT_MAX_MANAGER_RETURNS,
    approve_draft: bool = False,
    max_human_revisions: int = DEFAULT_MAX_HUMAN_REVISIONS,
    max_calls: int | None = None,
    max_tokens_total: int | None = None,
    check_models: bool = True,
) -> CompiledStateGraph[WriterState, WriterContext, WriterInput, WriterState]:
    """Build the writer team.

    Args:
        models: role (``manager``, ``writer``, ``critic``) -> ``"provider:model"``,
            ``local`` or a chat model; missing roles follow the env/default precedence.
        tools: unused by this team; accepted so every team has one signature.
        checkpointer: saver for persistence (threads, resume), passed to ``compile``.
        store: long-term store, passed to ``compile``.
        max_revisions: most rewrites on the Critic's feedback.
        max_manager_returns: most times the Manager may send the piece back.
        approve_draft: stop (``interrupt``) on the accepted piece until a person approves
            it or sends it back with notes (at most ``max_human_revisions`` times).
        max_human_revisions: most times a person may send the piece back.
        max_calls: most model calls in one run, across every role (None: no limit).
        max_tokens_total: most tokens (input + output) in one run (None: no limit).
        check_models: check the model settings now (else at the first model call).

    Raises:
        ModelConfigError: a role's model cannot be used (before anything runs).
        ValueError: a negative bound.
    """
    if max_revisions < 0 or max_manager_returns < 0:
        raise ValueError("max_revisions and max_manager_returns must be 0 or more.")
    role_models = RoleModels(ROLES, models, check=check_models)

    def model_for(role: str, runtime: Runtime[WriterContext]) -> BaseChatModel:
        override = getattr(_context(runtime), f"{role}_model")
        return role_models.get(role, override or None)

    def revision_cap(runtime: Runtime[WriterContext]) -> int:
        cap = _context(runtime).max_revisions
        return max_revisions if cap is None else max(cap, 0)

    def manager_plan(state: WriterState, runtime: Runtime[WriterContext]) -> WriterState:
        topic = (state.get("topic") or "").strip()
        if not topic:
            raise InputError("The topic is empty: give the subject of the piece to write.")
        context = _context(runtime)
        labels = {
            role: model_label(role_models.setting(role, getattr(context, f"{role}_model") or None))
            for role in ROLES
        }
        decision = plan_piece(model_for("manager", runtime), topic, state.get("material", ""))
        return {
            "topic": topic,
            "models": labels,
            "plan": decision.value.model_dump(),
            "plan_fallback": decision.fallback_used,
            "revisions": 0,
            "manager_returns": 0,
            "manager_instructions": "",
            "stop_reason": None,
            "budget_stop": None,
            "usage": usage_of("manager", decision.responses),
        }

    def writer(state: WriterState, runtime: Runtime[WriterContext]) -> WriterState:
        drafts = state.get("drafts") or []
        instructions = state.get("manager_instructions") or ""
        update: WriterState = {}
        if not drafts:
            previous, feedback = None, None
        elif instructions:
            previous, feedback = drafts[-1], instructions
            update["manager_instructions"] = ""
        else:
            previous, feedback = drafts[-1], state["critiques"][-1]["feedback"]
            update["revisions"] = state.get("revisions", 0) + 1
        text, replies = write_draft(
            model_for("writer", runtime),
            state["topic"],
            _plan_of(state),
            previous,
            feedback,
            state.get("material", ""),
        )
        update["drafts"] = [text]
        update["usage"] = usage_of("writer", replies)
        return update

    def critic(state: WriterState, runtime: Runtime[WriterContext]) -> WriterState:
        drafts = state["drafts"]
        decision = critique_draft(
            model_for("critic", runtime), state["topic"], _plan_of(state), drafts[-1]
        )
        record: CritiqueRecord = {
            "draft": len(drafts) - 1,
            **decision.value.model_dump(),  # type: ignore[typeddict-item]
            "attempts": decision.attempts,
            "fallback": decision.fallback_used,
        }
        return {"critiques": [record], "usage": usage_of("critic", decision.responses)}

    def route_after_critique(
        state: WriterState, runtime: Runtime[WriterContext]
    ) -> Literal["writer", "manager_review"]:
        if state["critiques"][-1]["approved"]:
            return "manager_review"
        if state.get("revisions", 0) >= revision_cap(runtime):
            return "manager_review"
        return "writer"

    def manager_review(state: WriterState, runtime: Runtime[WriterContext]) -> WriterState:
        drafts = state["drafts"]
        latest = state["critiques"][-1]
        decision = review_piece(
            model_for("manager", runtime),
            state["topic"],
            _plan_of(state),
            drafts[-1],
            latest["feedback"],
        )
        verdict = decision.value
        update: WriterState = {
            "reviews": [
                {
                    "draft": len(drafts) - 1,
                    "accept": verdict.accept,
                    "instructions": verdict.instructions,
                    "fallback": decision.fallback_used,
                }
            ],
            "usage": usage_of("manager", decision.responses),
        }
        returns = state.get("manager_returns", 0)
        if not verdict.accept and returns < max_manager_returns:
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
        return "approve_draft" if state.get("stop_reason") else "writer"

    def approve(state: WriterState, runtime: Runtime[WriterContext]) -> WriterState:
        wanted = _context(runtime).approve_draft
        if not (approve_draft if wanted is None else wanted):
            return {}
        if state.get("human_revisions", 0) >= max_human_revisions:
            return {}
        payload = {
            "kind": "draft_approval",
            "topic": state["topic"],
            "text": state["final_text"],
            "stop_reason": state["stop_reason"],
            "how": DRAFT_HOW,
        }
        answer: DraftAnswer = ask_until_valid(payload, DraftAnswer, DRAFT_HOW)
        if answer.action == "approve":
            return {"stop_reason": "human_approved"}
        notes = answer.notes.strip() or "Improve the piece."
        return {
            "manager_instructions": notes,
            "human_revisions": state.get("human_revisions", 0) + 1,
            "stop_reason": None,
        }

    def route_after_approval(state: WriterState) -> Literal["writer", "__end__"]:
        return "__end__" if state.get("stop_reason") else "writer"

    builder = StateGraph(WriterState, input_schema=WriterInput, context_schema=WriterContext)
    builder.set_node_defaults(error_handler=stop_on_budget("final_text"))
    builder.add_node("manager_plan", manager_plan)
    builder.add_node("writer", writer)
    builder.add_node("critic", critic)
    builder.add_node("manager_review", manager_review)
    builder.add_edge(START, "manager_plan")
    builder.add_edge("manager_plan", "writer")
    builder.add_edge("writer", "critic")
    builder.add_conditional_edges("critic", route_after_critique)
    builder.add_conditional_edges("manager_review", route_after_review)
    builder.add_node("approve_draft", approve)
    builder.add_conditional_edges("approve_draft", route_after_approval)
    compiled = builder.compile(checkpointer=checkpointer, store=store, name="writer")
    return with_budget(compiled, max_calls, max_tokens_total)


graph = build_graph(check_models=False)
"""The team with the env/default models, for ``langgraph.json`` (settings checked at run time)."""
