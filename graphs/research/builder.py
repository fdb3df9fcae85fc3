"""The research team (LINER-style): decide, plan a dependency graph, run it, answer.

``decide`` chooses A (answer at once: one task, the question itself) or B (``plan``).
``run_tasks`` starts each task the moment its own dependencies are done, up to
``max_concurrency`` at a time; each sees only its dependencies' results and is saved by
itself as it finishes (see :mod:`graphs.research.tasks`). When all are done, ``reflect``
may add tasks (at most ``max_replans`` times); ``finalize`` writes the answer with
numbered citations.
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
from graphs.research import nodes, reflection, tasks
from graphs.research.result import RESULT
from graphs.research.settings import ROLES, ResearchSettings
from graphs.research.state import ResearchInput, ResearchState


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[ResearchState, ResearchSettings, ResearchInput, ResearchState]:
    """Build the research team.

    Args:
        models: role (``decider``, ``planner``, ``executor``, ``finalizer``) -> model.
        tools: the executor's tools (default: the project's tools, see
            ``tools.toolbox``, else the default toolbox).
        checkpointer: saver for threads and resume, passed to ``compile``.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`ResearchSettings` (``max_tasks``,
            ``approve_plan``, ``tool_policy``, ``max_calls``, ...); a run may override
            them with ``context``.
    """
    crew, schema = make_crew(
        "research", ROLES, ResearchSettings, models, tools, settings, check_models
    )
    builder = StateGraph(ResearchState, input_schema=ResearchInput, context_schema=schema)
    for name, node in (
        ("decide", nodes.decide),
        ("plan", nodes.plan),
        ("reflect", reflection.reflect),
        ("finalize", nodes.finalize),
    ):
        builder.add_node(name, stop_at_limits(RESULT, bound(node, crew)))
    builder.add_node("approve_plan", bound(nodes.approve_plan, crew))
    builder.add_node("run_tasks", bound(tasks.run_tasks, crew))
    builder.add_edge(START, "decide")
    builder.add_conditional_edges(
        "decide", ends_at_limits(nodes.route_after_decide), ["plan", "run_tasks", END]
    )
    builder.add_conditional_edges("plan", ends_at_limits("approve_plan"), ["approve_plan", END])
    builder.add_conditional_edges("approve_plan", nodes.route_after_approval)
    builder.add_conditional_edges("run_tasks", tasks.route_after_tasks, ["reflect", "finalize"])
    builder.add_conditional_edges(
        "reflect", ends_at_limits(reflection.route_after_reflect), ["run_tasks", "finalize", END]
    )
    return builder.compile(checkpointer=checkpointer, store=store, name="research")


def default_graph() -> CompiledStateGraph[Any, Any, Any, Any]:
    """The team with the env/default models (checked when a run calls them)."""
    return build_graph(check_models=False)


make_graph = served_factory(default_graph)
"""The team as ``langgraph.json`` serves it: :func:`default_graph`, built per run."""
