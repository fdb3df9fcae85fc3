"""Reflection: the first role works, the second reviews (the critic's wire format).

They alternate until the reviewer approves or ``max_rounds`` rewrites have been made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import StateGraph
from langgraph.runtime import Runtime

from agents.critic import critique_work
from agents.team_role import Part
from graphs.common.reflection import critique_record, next_draft, revise_again
from graphs.common.stops import ends_at_limits, stop_at_limits
from graphs.common.wiring import bound
from graphs.teamfile.roles import RolePlay, take_turn, turn_update
from graphs.teamfile.rules import FINISH, OPEN
from graphs.teamfile.settings import TeamFileSettings
from graphs.teamfile.state import RESULT, TeamFileState
from graphs.teamfile.tool_agent import TeamFileCrew

Builder = StateGraph[Any, Any, Any, Any]


def produce(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    config: RunnableConfig,
    *,
    crew: TeamFileCrew,
    play: RolePlay,
) -> dict[str, Any]:
    """The first role works, or rewrites its latest work on the reviewer's feedback."""
    shift = crew.shift(state, runtime)
    previous, feedback, update = next_draft(state)
    outputs = state.get("outputs") or []
    handed = outputs[-1]["citations"] if outputs else []
    part = Part(state["request"], previous=previous, feedback=feedback or "")
    done = take_turn(play, part, handed, shift, config, dict(state))
    return {**update, "drafts": [done.output["text"]], **turn_update(done, shift)}


def review(
    state: TeamFileState, runtime: Runtime[TeamFileSettings], *, crew: TeamFileCrew, play: RolePlay
) -> dict[str, Any]:
    """The second role reviews the latest work: approved, a score, feedback."""
    shift = crew.shift(state, runtime)
    decision = critique_work(
        shift.caller(play.name), play.persona, state["request"], state["drafts"][-1]
    )
    record = critique_record(state, decision)
    update: dict[str, Any] = {
        "critiques": [record],
        "fallbacks": decision.notes(play.name),
        **shift.spent(),
    }
    if record["approved"]:
        update["stop_reason"] = "approved"
    elif not revise_again({**state, "critiques": [record]}, shift.settings.max_rounds):
        update["stop_reason"] = "max_rounds"
    return update


def route_after_review(state: TeamFileState) -> Literal["again", "finish"]:
    """Back to the first role unless the reviewer approved or the cap was reached."""
    return "finish" if state.get("stop_reason") else "again"


def wire(builder: Builder, plays: Sequence[RolePlay], crew: TeamFileCrew) -> None:
    """Start -> worker <-> reviewer -> finish."""
    worker, reviewer = plays
    builder.add_node(worker.name, stop_at_limits(RESULT, bound(produce, crew, play=worker)))
    builder.add_node(reviewer.name, stop_at_limits(RESULT, bound(review, crew, play=reviewer)))
    builder.add_edge(OPEN, worker.name)
    builder.add_conditional_edges(
        worker.name, ends_at_limits(reviewer.name, FINISH), [reviewer.name, FINISH]
    )
    builder.add_conditional_edges(
        reviewer.name,
        ends_at_limits(route_after_review, FINISH),
        {"again": worker.name, FINISH: FINISH},
    )
