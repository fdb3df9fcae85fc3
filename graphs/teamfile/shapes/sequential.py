"""Sequential: each role gets the request and the previous role's work, with its sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import StateGraph
from langgraph.runtime import Runtime

from agents.team_role import Part
from graphs.common.stops import ends_at_limits, stop_at_limits
from graphs.common.wiring import bound
from graphs.teamfile.roles import RolePlay, material_of, take_turn, turn_update
from graphs.teamfile.rules import FINISH, OPEN
from graphs.teamfile.settings import TeamFileSettings
from graphs.teamfile.state import RESULT, TeamFileState
from graphs.teamfile.tool_agent import TeamFileCrew

Builder = StateGraph[Any, Any, Any, Any]


def turn(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    config: RunnableConfig,
    *,
    crew: TeamFileCrew,
    play: RolePlay,
) -> dict[str, Any]:
    """The role does its part on the previous role's work."""
    shift = crew.shift(state, runtime)
    outputs = state.get("outputs") or []
    material, handed = material_of(outputs[-1] if outputs else None)
    done = take_turn(play, Part(state["request"], material), handed, shift, config, dict(state))
    return turn_update(done, shift)


def wire(builder: Builder, plays: Sequence[RolePlay], crew: TeamFileCrew) -> None:
    """Start -> each role in the file's order -> finish (at once, when a limit stops the run)."""
    builder.add_edge(OPEN, plays[0].name)
    for play, after in zip(plays, [*plays[1:], None], strict=True):
        builder.add_node(play.name, stop_at_limits(RESULT, bound(turn, crew, play=play)))
        if after is None:
            builder.add_edge(play.name, FINISH)
        else:
            route = ends_at_limits(after.name, FINISH)
            builder.add_conditional_edges(play.name, route, [after.name, FINISH])
