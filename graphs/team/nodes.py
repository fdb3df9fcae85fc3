"""The team of teams' nodes: the Manager routes, each member team works, the result is kept.

A hand-off carries only what the next team needs: the text and its numbered sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from agents.supervisor import route_request
from graphs.common import members as shared
from graphs.common.crew import Crew
from graphs.common.members import Member, cite_work
from graphs.team.roster import fallback_member
from graphs.team.settings import TeamSettings
from graphs.team.state import TeamOutput, TeamState
from tools.citations import finish_answer
from tools.kernel.errors import InputError

TeamCrew = Crew[TeamSettings]

__all__ = ["Member", "finish", "handoff", "manager", "next_step", "run_member"]


def handoff(output: TeamOutput) -> str:
    """The material the next team gets: the text and its numbered sources."""
    return shared.handoff(output["text"], output["citations"])


def manager(
    state: TeamState,
    runtime: Runtime[TeamSettings],
    *,
    crew: TeamCrew,
    members: Mapping[str, Member],
) -> dict[str, Any]:
    """The Manager chooses the member teams and their order (opens the run)."""
    request = (state.get("request") or "").strip()
    if not request:
        raise InputError("The request is empty: say what the team should do.")
    shift = crew.start(runtime)
    specs = {name: member.spec for name, member in members.items()}
    briefs = {name: spec.routing.brief for name, spec in specs.items() if spec.routing}
    decision = route_request(shift.caller("manager"), request, briefs, fallback_member(specs))
    return {
        "request": request,
        "route": [str(team) for team in dict.fromkeys(decision.value.teams)],
        "route_reason": decision.value.reason,
        "position": 0,
        "stop_reason": None,
        "budget_stop": None,
        **shift.opening(decision.notes("manager")),
    }


def run_member(
    state: TeamState,
    runtime: Runtime[TeamSettings],
    config: RunnableConfig,
    *,
    crew: TeamCrew,
    member: Member,
) -> dict[str, Any]:
    """One member team does its part, building on the last team's output."""
    shift = crew.shift(state, runtime)
    name = member.spec.name
    outputs = state.get("outputs") or []
    material = handoff(outputs[-1]) if outputs else ""
    work = shared.run_member(
        member,
        name,
        (state["request"], material),
        config,
        state["run"],
        context=member.default_context(approve=shift.settings.approve),
    )
    sourced = [o for o in outputs if o["citations"]]
    read = work.result
    cited = cite_work(read["text"], read["citations"], sourced[-1]["citations"] if sourced else [])
    output = TeamOutput(
        team=name, text=cited.text, citations=cited.citations, stop_reason=read["stop_reason"]
    )
    spent = shift.spent()
    update: dict[str, Any] = {
        **spent,
        "outputs": [output],
        "position": state.get("position", 0) + 1,
        "models": {**spent["models"], **work.models},
        "fallbacks": work.fallbacks,
    }
    if work.budget_stop:
        update["budget_stop"] = work.budget_stop
        update["stop_reason"] = work.budget_stop["limit"]
    return update


def next_step(state: TeamState) -> str:
    """The next team of the route, or ``finish`` (also when a limit stopped the run)."""
    route, position = state.get("route") or [], state.get("position", 0)
    if state.get("budget_stop"):
        return "finish"
    return route[position] if position < len(route) else "finish"


def finish(state: TeamState) -> dict[str, Any]:
    """The result: the last team's text with the sources it cites, numbered 1..k."""
    written = [o for o in state.get("outputs") or [] if o["text"]]
    if not written:
        return {"final": "", "citations": [], "citations_dropped": 0, "citations_moved": 0}
    cited = finish_answer(written[-1]["text"], written[-1]["citations"])
    return {
        "final": cited.text,
        "citations": cited.citations,
        "citations_dropped": cited.dropped,
        "citations_moved": cited.moved,
    }
