"""The ReAct team: one agent thinks, calls a tool, observes, and repeats, then answers.

``agent`` and ``tools`` form a loop through a conditional edge, bounded by ``max_steps``
tool rounds. ``answer`` writes the answer from the observations when the agent is ready
in structured mode, hits the cap, or repeats an earlier call; a tool-calling model's own
final message is the answer otherwise. ``finalize`` attaches the numbered sources the
answer cites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore

from agents.llm.models import ModelSetting
from graphs.common.server_factory import served_factory
from graphs.common.stops import ends_at_limits, stop_at_limits
from graphs.common.wiring import bound, make_crew
from graphs.react import nodes
from graphs.react.result import RESULT
from graphs.react.settings import ROLES, ReactSettings
from graphs.react.state import ReactInput, ReactState


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[ReactState, ReactSettings, ReactInput, ReactState]:
    """Build the ReAct team.

    Args:
        models: ``{"agent": "provider:model" | "local" | chat model}``.
        tools: the agent's tools (default: the project's tools, see
            ``tools.toolbox``, else the default toolbox).
        checkpointer: saver for persistence, passed to ``compile``.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`ReactSettings` (``max_steps``, ``tool_mode``,
            ``first_step``, ``max_calls``, ...); a run may override them with ``context``.
    """
    if tools is not None and not tools:
        raise ValueError("The ReAct team needs at least one tool.")
    crew, schema = make_crew("react", ROLES, ReactSettings, models, tools, settings, check_models)
    builder = StateGraph(ReactState, input_schema=ReactInput, context_schema=schema)
    builder.add_node("agent", stop_at_limits(RESULT, bound(nodes.agent, crew)))
    builder.add_node("tools", bound(nodes.tools, crew))
    builder.add_node("answer", stop_at_limits(RESULT, bound(nodes.answer, crew)))
    builder.add_node("finalize", nodes.finalize)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges(
        "agent", ends_at_limits(nodes.route_after_agent), ["tools", "answer", "finalize", END]
    )
    builder.add_conditional_edges("tools", bound(nodes.route_after_tools, crew))
    builder.add_edge("answer", "finalize")
    return builder.compile(checkpointer=checkpointer, store=store, name="react")


def default_graph() -> CompiledStateGraph[Any, Any, Any, Any]:
    """The team with the env/default models (checked when a run calls them)."""
    return build_graph(check_models=False)


make_graph = served_factory(default_graph)
"""The team as ``langgraph.json`` serves it: :func:`default_graph`, built per run."""
