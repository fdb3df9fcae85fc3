"""Supervisor: the first role manages; it picks the role that works next.

Its pick is a validated decision, limited to the role names or ``finish``, until the
work is done or ``max_rounds`` turns have been taken.

Each role gets the request, the manager's instruction and the latest work of every role
that has worked, with their sources numbered as one list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import StateGraph
from langgraph.runtime import Runtime

from agents.role_picker import FINISH as PICK_FINISH
from agents.role_picker import pick_next
from agents.team_role import Part
from graphs.common.stops import ends_at_limits, stop_at_limits
from graphs.common.wiring import bound
from graphs.teamfile.roles import RolePlay, take_turn, turn_update, work_in_one_list
from graphs.teamfile.rules import FINISH, OPEN
from graphs.teamfile.settings import TeamFileSettings
from graphs.teamfile.state import RESULT, Pick, RoleOutput, TeamFileState, named_work
from graphs.teamfile.tool_agent import TeamFileCrew

Builder = StateGraph[Any, Any, Any, Any]


def latest_work(outputs: Sequence[RoleOutput]) -> list[RoleOutput]:
    """The latest work of each role that has worked, in the order of those turns."""
    latest = {output["role"]: output for output in outputs}
    return sorted(latest.values(), key=lambda output: outputs.index(output))


def manage(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    *,
    crew: TeamFileCrew,
    manager: RolePlay,
    workers: Mapping[str, str],
) -> dict[str, Any]:
    """The manager picks the next role (or finish); at the turn cap, the run finishes."""
    shift = crew.shift(state, runtime)
    outputs = state.get("outputs") or []
    turns, cap = state.get("turns", 0), shift.settings.max_rounds
    if turns >= cap:
        return {"answer": named_work(state), "stop_reason": "max_rounds"}
    work = [(output["role"], output["text"]) for output in outputs]
    decision = pick_next(
        shift.caller(manager.name), manager.persona, state["request"], workers, work, cap - turns
    )
    chosen = decision.value
    pick = Pick(
        next=chosen.next,
        reason=chosen.reason,
        instruction=chosen.instruction,
        answer_from=chosen.answer_from,
        fallback=decision.fallback_used,
    )
    update: dict[str, Any] = {
        "picks": [pick],
        "fallbacks": decision.notes(manager.name),
        **shift.spent(),
    }
    if chosen.next == PICK_FINISH:
        answered = [o for o in outputs if o["role"] == chosen.answer_from]
        update.update(answer=answered[-1] if answered else outputs[-1], stop_reason="finished")
    return update


def route_after_pick(state: TeamFileState) -> str:
    """The role the manager picked, or finish."""
    if state.get("stop_reason"):
        return FINISH
    return state["picks"][-1]["next"]


def work(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    config: RunnableConfig,
    *,
    crew: TeamFileCrew,
    play: RolePlay,
) -> dict[str, Any]:
    """The picked role does what the manager asked, on the latest work of every role."""
    shift = crew.shift(state, runtime)
    material, handed = work_in_one_list(latest_work(state.get("outputs") or []))
    part = Part(state["request"], material, instruction=state["picks"][-1]["instruction"])
    done = take_turn(play, part, handed, shift, config, dict(state))
    return {"turns": state.get("turns", 0) + 1, **turn_update(done, shift)}


def wire(builder: Builder, plays: Sequence[RolePlay], crew: TeamFileCrew) -> None:
    """Start -> manager -> a role -> manager ... -> finish."""
    manager, *workers = plays
    briefs = {play.name: play.brief for play in workers}
    picker = bound(manage, crew, manager=manager, workers=briefs)
    builder.add_node(manager.name, stop_at_limits(RESULT, picker))
    builder.add_edge(OPEN, manager.name)
    names = [play.name for play in workers]
    builder.add_conditional_edges(
        manager.name, ends_at_limits(route_after_pick, FINISH), [*names, FINISH]
    )
    for play in workers:
        builder.add_node(play.name, stop_at_limits(RESULT, bound(work, crew, play=play)))
        builder.add_conditional_edges(
            play.name, ends_at_limits(manager.name, FINISH), [manager.name, FINISH]
        )
