"""The team of teams: the Manager routes a request to research, writer or react, or chains them.

Member teams are compiled graphs run inside nodes, so they share the parent's
checkpointer (their checkpoints live in the parent's thread) and stream with
``subgraphs=True``; their model calls are charged to the parent run's ledger as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore

from graphs.common.spec import TeamSpec
from graphs.common.stops import stop_at_limits
from graphs.common.wiring import bound, make_crew
from graphs.team import nodes
from graphs.team.members import MEMBERS
from graphs.team.nodes import Member
from graphs.team.settings import ROLES, TeamSettings
from graphs.team.state import TeamInput, TeamState


def build_graph(
    models: Mapping[str, Any] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    teams: Mapping[str, CompiledStateGraph[Any, Any, Any, Any]] | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[TeamState, TeamSettings, TeamInput, TeamState]:
    """Build the team of teams.

    Args:
        models: ``{"manager": setting, "research": {role: setting}, "writer": {...},
            "react": {...}}`` for the teams built here; anything missing follows the
            env/default precedence.
        tools: tools for the research and react teams built here (default: the
            project's tools, else the default toolbox).
        checkpointer: saver for threads and resume, shared with the member teams.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        teams: ready member teams (compiled graphs, e.g. built with approval stops);
            the others are built with their defaults.
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`TeamSettings` (``manager_model``, ``max_calls``,
            ``max_tokens_total``); a run may override them with ``context``.
    """
    given = dict(models or {})
    crew, schema = make_crew(
        "team",
        ROLES,
        TeamSettings,
        {"manager": given.get("manager")},
        tools,
        settings,
        check_models,
    )
    members = {
        spec.name: Member(
            spec, (teams or {}).get(spec.name) or _build(spec, given, tools, check_models)
        )
        for spec in MEMBERS
    }
    builder = StateGraph(TeamState, input_schema=TeamInput, context_schema=schema)
    builder.add_node("manager", stop_at_limits("final", bound(nodes.manager, crew)))
    for name, member in members.items():
        builder.add_node(name, bound(nodes.run_member, crew, member=member))
        after = [other for other in members if other != name]
        builder.add_conditional_edges(name, nodes.next_step, [*after, "finish"])
    builder.add_node("finish", nodes.finish)
    builder.add_edge(START, "manager")
    builder.add_conditional_edges("manager", nodes.next_step, [*members, "finish"])
    return builder.compile(checkpointer=checkpointer, store=store, name="team")


def _build(
    spec: TeamSpec,
    models: Mapping[str, Any],
    tools: Sequence[BaseTool] | None,
    check_models: bool,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    member_models = models.get(spec.name)
    return spec.build_graph(
        dict(member_models) if isinstance(member_models, Mapping) else None,
        tools=tools,
        check_models=check_models,
    )


graph = build_graph(check_models=False)
"""The team with the env/default models, for ``langgraph.json`` (settings checked at run time)."""
