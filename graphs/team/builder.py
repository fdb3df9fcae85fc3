"""The team of teams: the Manager routes a request to the teams it may choose, or chains them.

Its members are the registered teams whose spec lets the Manager route to them. Member
teams are compiled graphs run inside nodes, so they share the parent's checkpointer
(their checkpoints live in the parent's thread) and stream with ``subgraphs=True``; their
model calls are charged to the parent run's ledger as well.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore

from agents.llm.models import given_models
from graphs.common.spec import TeamSpec
from graphs.common.stops import stop_at_limits
from graphs.common.wiring import bound, make_crew
from graphs.team import nodes
from graphs.team.nodes import Member
from graphs.team.result import RESULT
from graphs.team.roster import check_settings, member_settings, members
from graphs.team.settings import ROLES, TeamSettings
from graphs.team.state import TeamInput, TeamState

Graph = CompiledStateGraph[Any, Any, Any, Any]


def build_graph(
    models: Mapping[str, Any] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    teams: Mapping[str, Graph] | None = None,
    check_models: bool = True,
    approve: bool = False,
    **settings: Any,
) -> CompiledStateGraph[TeamState, TeamSettings, TeamInput, TeamState]:
    """Build the team of teams.

    Args:
        models: ``{"manager": setting, "<team>": {role: setting}, ...}`` for the Manager
            and the member teams built here; anything missing follows the env/default
            precedence.
        tools: tools for the member teams that use tools (default: the project's tools,
            else the default toolbox).
        checkpointer: saver for threads and resume, shared with the member teams.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        teams: ready member teams (compiled graphs); the others are built here.
        check_models: check the model settings now (else at the first model call).
        approve: the member teams built here stop for a person on their result (each at
            its own approval step: the research plan, the final draft).
        **settings: defaults of :class:`TeamSettings` (``manager_model``, ``max_calls``,
            ``max_tokens_total``), which a run may override with ``context``; any other
            setting goes to the member teams built here that have it (``tool_timeout_s``).
    """
    routable = members()
    given = given_models(models, [*ROLES, *routable], "the team of teams")
    check_settings(settings, TeamSettings, routable)
    names = {f.name for f in dataclasses.fields(TeamSettings)}
    own = {key: value for key, value in settings.items() if key in names}
    others = {key: value for key, value in settings.items() if key not in names}
    crew, schema = make_crew(
        "team", ROLES, TeamSettings, {"manager": given.get("manager")}, tools, own, check_models
    )
    built = {
        name: Member(
            spec,
            (teams or {}).get(name)
            or _build(spec, given, tools, check_models, member_settings(spec, others, approve)),
        )
        for name, spec in routable.items()
    }
    builder = StateGraph(TeamState, input_schema=TeamInput, context_schema=schema)
    builder.add_node("manager", stop_at_limits(RESULT, bound(nodes.manager, crew, members=built)))
    for name, member in built.items():
        builder.add_node(name, bound(nodes.run_member, crew, member=member))
        after = [other for other in built if other != name]
        builder.add_conditional_edges(name, nodes.next_step, [*after, "finish"])
    builder.add_node("finish", nodes.finish)
    builder.add_edge(START, "manager")
    builder.add_conditional_edges("manager", nodes.next_step, [*built, "finish"])
    return builder.compile(checkpointer=checkpointer, store=store, name="team")


def _build(
    spec: TeamSpec,
    models: Mapping[str, Any],
    tools: Sequence[BaseTool] | None,
    check_models: bool,
    settings: Mapping[str, Any],
) -> Graph:
    member_models = models.get(spec.name)
    return spec.build_graph(
        dict(member_models) if isinstance(member_models, Mapping) else None,
        tools=tools if spec.uses_tools else None,
        check_models=check_models,
        **settings,
    )


@functools.cache
def studio_graph() -> CompiledStateGraph[TeamState, TeamSettings, TeamInput, TeamState]:
    """The team with the env/default models, for ``langgraph.json`` (checked at run time)."""
    return build_graph(check_models=False)
