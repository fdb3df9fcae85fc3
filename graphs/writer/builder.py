"""The writer team: Manager plans -> Writer drafts <-> Critic reviews -> Manager judges.

The reflection cycle runs until the Critic approves or ``max_revisions`` rewrites have
been made; the Manager then accepts the piece or sends it back (at most
``max_manager_returns`` times) with instructions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore

from agents.llm.models import ModelSetting
from graphs.common.server_factory import served_factory
from graphs.common.stops import ends_at_limits, stop_at_limits
from graphs.common.wiring import bound, make_crew
from graphs.writer import nodes
from graphs.writer.result import RESULT
from graphs.writer.settings import ROLES, WriterSettings
from graphs.writer.state import WriterInput, WriterState


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Any = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[WriterState, WriterSettings, WriterInput, WriterState]:
    """Build the writer team.

    Args:
        models: role (``manager``, ``writer``, ``critic``) -> ``"provider:model"``,
            ``local`` or a chat model; missing roles follow the env/default precedence.
        tools: unused by this team; accepted so every team has one signature.
        checkpointer: saver for persistence (threads, resume), passed to ``compile``.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`WriterSettings` (``max_revisions``,
            ``approve_draft``, ``max_calls``, ...); a run may override them with ``context``.

    Raises:
        ModelConfigError: a role's model cannot be used (before anything runs).
        ValueError: a negative bound.
    """
    crew, schema = make_crew("writer", ROLES, WriterSettings, models, tools, settings, check_models)
    builder = StateGraph(WriterState, input_schema=WriterInput, context_schema=schema)
    for name in ("manager_plan", "writer", "critic", "manager_review"):
        builder.add_node(name, stop_at_limits(RESULT, bound(getattr(nodes, name), crew)))
    builder.add_node("approve_draft", bound(nodes.approve_draft, crew))
    builder.add_edge(START, "manager_plan")
    builder.add_conditional_edges("manager_plan", ends_at_limits("writer"), ["writer", END])
    builder.add_conditional_edges(
        "writer", ends_at_limits(nodes.route_after_writer), ["critic", "approve_draft", END]
    )
    builder.add_conditional_edges(
        "critic",
        ends_at_limits(bound(nodes.route_after_critique, crew)),
        ["writer", "manager_review", END],
    )
    builder.add_conditional_edges(
        "manager_review", ends_at_limits(nodes.route_after_review), ["writer", "approve_draft", END]
    )
    builder.add_conditional_edges("approve_draft", nodes.route_after_approval)
    return builder.compile(checkpointer=checkpointer, store=store, name="writer")


def default_graph() -> CompiledStateGraph[Any, Any, Any, Any]:
    """The team with the env/default models (checked when a run calls them)."""
    return build_graph(check_models=False)


make_graph = served_factory(default_graph)
"""The team as ``langgraph.json`` serves it: :func:`default_graph`, built per run."""
