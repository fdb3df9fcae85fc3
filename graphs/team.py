"""The team of teams: the Manager routes a request to research, writer or react, or chains them.

Teams are subgraphs run inside nodes, so they share the parent's checkpointer and
stream with ``subgraphs=True``. A hand-off carries only what the next team needs: the
answer and its numbered sources, not every message.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore
from typing_extensions import TypedDict

from agents.citations import Citation
from agents.errors import InputError
from agents.models import RoleModels
from agents.supervisor import route_request
from agents.usage import UsageByRole, merge_usage, prefixed, usage_of
from graphs.budgeted import BudgetStop, stop_on_budget, with_budget
from tools.citations_view import format_citations

ROLES = ("manager",)
TEAM_NAMES = ("research", "writer", "react")


class TeamOutput(TypedDict):
    """What one team handed back."""

    team: str
    text: str
    citations: list[Citation]
    stop_reason: str


class TeamInput(TypedDict):
    """What a caller gives the team of teams."""

    request: str
    """What the user wants done."""


class TeamState(TypedDict, total=False):
    """The supervisor's state: the route, each team's output and the final result."""

    request: str
    """What the user wants done."""
    route: list[str]
    """Teams to run, in order."""
    route_reason: str
    """The Manager's reason for the route."""
    position: int
    """How many teams of the route have finished."""
    outputs: Annotated[list[TeamOutput], operator.add]
    """Each finished team's output, in order."""
    final: str
    """The result for the user: the last team's text."""
    citations: list[Citation]
    """The sources behind the result."""
    models: dict[str, str]
    """``team/role`` -> model name."""
    usage: Annotated[UsageByRole, merge_usage]
    """``team/role`` -> calls, tokens and seconds."""
    stop_reason: str | None
    """A run limit that ended the run early (``max_calls``, ``max_tokens_total``), or None."""
    budget_stop: BudgetStop | None
    """The run limit that ended the run, if one did."""


def handoff(output: TeamOutput) -> str:
    """The material the next team gets: the text and its numbered sources."""
    if not output["citations"]:
        return output["text"]
    return f"{output['text']}\n\nSources:\n{format_citations(output['citations'])}"


def build_graph(
    models: Mapping[str, Any] | None = None,
    *,
    tools: list[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    teams: Mapping[str, CompiledStateGraph] | None = None,
    max_calls: int | None = None,
    max_tokens_total: int | None = None,
    check_models: bool = True,
    **team_settings: Mapping[str, Any],
) -> CompiledStateGraph[TeamState, None, TeamInput, TeamState]:
    """Build the team of teams.

    Args:
        models: ``{"manager": setting, "research": {role: setting}, "writer": {...},
            "react": {...}}``; anything missing follows the env/default precedence.
        tools: tools for the research and react teams (default: the toolbox).
        checkpointer: saver for threads and resume, shared with the team subgraphs.
        store: long-term store, passed to ``compile``.
        teams: ready team graphs to use instead of building them (e.g. for tests).
        max_calls: most model calls in one run, across every team and role.
        max_tokens_total: most tokens (input + output) in one run, across every team.
        check_models: check the model settings now (else at the first model call).
        **team_settings: per team, keyword settings for its ``build_graph``, e.g.
            ``research={"max_tasks": 4}``.
    """
    given = dict(models or {})
    manager_models = RoleModels(ROLES, {"manager": given.get("manager")}, check=check_models)
    subgraphs = dict(teams or {})
    missing = [name for name in TEAM_NAMES if name not in subgraphs]
    for name in missing:
        module = __import__(f"graphs.{name}", fromlist=["build_graph"])
        team_models = given.get(name)
        subgraphs[name] = module.build_graph(
            dict(team_models) if isinstance(team_models, Mapping) else None,
            tools=tools,
            check_models=check_models,
            **dict(team_settings.get(name, {})),
        )

    def manager(state: TeamState) -> TeamState:
        request = (state.get("request") or "").strip()
        if not request:
            raise InputError("The request is empty: say what the team should do.")
        decision = route_request(manager_models.get("manager"), request)
        route = [str(team) for team in dict.fromkeys(decision.value.teams)]
        return {
            "request": request,
            "route": route,
            "route_reason": decision.value.reason,
            "position": 0,
            "stop_reason": None,
            "budget_stop": None,
            "models": {"manager": manager_models.labels()["manager"]},
            "usage": usage_of("manager", decision.responses),
        }

    def run_team(name: str) -> Any:
        def node(state: TeamState, config: RunnableConfig) -> TeamState:
            outputs = state.get("outputs") or []
            material = handoff(outputs[-1]) if outputs else ""
            if name == "writer":
                result = subgraphs[name].invoke(
                    {"topic": state["request"], "material": material}, config
                )
                output = TeamOutput(
                    team=name,
                    text=result["final_text"],
                    citations=[],
                    stop_reason=result["stop_reason"],
                )
            else:
                question = (
                    state["request"]
                    if not material
                    else (f"{state['request']}\n\nWhat is known so far:\n{material}")
                )
                result = subgraphs[name].invoke({"question": question}, config)
                output = TeamOutput(
                    team=name,
                    text=result["answer"],
                    citations=list(result.get("citations") or []),
                    stop_reason=result["stop_reason"],
                )
            team_models = {
                f"{name}/{role}": label for role, label in (result.get("models") or {}).items()
            }
            update: TeamState = {
                "outputs": [output],
                "position": state.get("position", 0) + 1,
                "models": {**(state.get("models") or {}), **team_models},
                "usage": prefixed(name, result.get("usage") or {}),
            }
            if result.get("budget_stop"):
                update["budget_stop"] = result["budget_stop"]
                update["stop_reason"] = result["budget_stop"]["limit"]
            return update

        return node

    def next_step(state: TeamState) -> str:
        route, position = state.get("route") or [], state.get("position", 0)
        if state.get("budget_stop"):
            return "finish"
        return route[position] if position < len(route) else "finish"

    def finish(state: TeamState) -> TeamState:
        written = [o for o in state.get("outputs") or [] if o["text"]]
        sourced = [o for o in written if o["citations"]]
        return {
            "final": written[-1]["text"] if written else "",
            "citations": sourced[-1]["citations"] if sourced else [],
        }

    builder = StateGraph(TeamState, input_schema=TeamInput)
    builder.set_node_defaults(error_handler=stop_on_budget("final"))
    builder.add_node("manager", manager)
    for name in TEAM_NAMES:
        builder.add_node(name, run_team(name))
        builder.add_conditional_edges(name, next_step, [*TEAM_NAMES, "finish"])
    builder.add_node("finish", finish)
    builder.add_edge(START, "manager")
    builder.add_conditional_edges("manager", next_step, [*TEAM_NAMES, "finish"])
    compiled = builder.compile(checkpointer=checkpointer, store=store, name="team")
    return with_budget(compiled, max_calls, max_tokens_total)


graph = build_graph(check_models=False)
"""The team with the env/default models, for ``langgraph.json`` (settings checked at run time)."""
