"""The compose team: describe the picture -> write the brief <-> review it -> compose -> render.

A sequential pipeline with a different model per step: the describer (a vision model,
or the pixel analysis when its model cannot see), the composer writing the brief, then
a composer and a renderer in code. A brief that contradicts the picture is sent back
(at most ``max_brief_returns`` times).
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
from graphs.compose import nodes
from graphs.compose.result import RESULT
from graphs.compose.settings import ROLES, ComposeSettings
from graphs.compose.state import ComposeInput, ComposeState


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Any = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[ComposeState, ComposeSettings, ComposeInput, ComposeState]:
    """Build the compose team.

    Args:
        models: role (``describer``, ``composer``) -> ``"provider:model"``, ``local`` or a
            chat model; missing roles follow the env/default precedence.
        tools: unused by this team; accepted so every team has one signature.
        checkpointer: saver for persistence (threads, resume), passed to ``compile``.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`ComposeSettings` (``seconds``, ``seed``,
            ``renderer``, ``describer_sees``, ``max_calls``, ...); a run may override them
            with ``context``.

    Raises:
        ModelConfigError: a role's model cannot be used (before anything runs).
        ValueError: a setting out of range.
    """
    crew, schema = make_crew(
        "compose", ROLES, ComposeSettings, models, tools, settings, check_models
    )
    builder = StateGraph(ComposeState, input_schema=ComposeInput, context_schema=schema)
    for name in ("describe", "write_brief"):
        builder.add_node(name, stop_at_limits(RESULT, bound(getattr(nodes, name), crew)))
    builder.add_node("review_brief", bound(nodes.review_brief, crew))
    builder.add_node("compose", bound(nodes.compose_music, crew))
    builder.add_node("render", bound(nodes.render, crew))
    builder.add_edge(START, "describe")
    builder.add_conditional_edges("describe", ends_at_limits("write_brief"), ["write_brief", END])
    builder.add_conditional_edges(
        "write_brief", ends_at_limits("review_brief"), ["review_brief", END]
    )
    builder.add_conditional_edges("review_brief", nodes.route_after_review)
    builder.add_edge("compose", "render")
    builder.add_edge("render", END)
    return builder.compile(checkpointer=checkpointer, store=store, name="compose")


def default_graph() -> CompiledStateGraph[Any, Any, Any, Any]:
    """The team with the env/default models (checked when a run calls them)."""
    return build_graph(check_models=False)


make_graph = served_factory(default_graph)
"""The team as ``langgraph.json`` serves it: :func:`default_graph`, built per run."""
