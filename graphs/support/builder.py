"""The support team, with escalations to a person along the way.

triage -> account || diagnosis -> resolution -> policy -> approve_actions -> execute ->
writer <-> critic -> feedback -> finish.

The account and diagnosis agents run at the same time, each a subgraph of its own: a
bounded ReAct loop over read-only tools that only see the run's customer; ``resolution``
waits for both. The
policy in code decides which proposed action runs, waits for a person, or is refused;
each action runs in its own transaction, once.
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
from graphs.support import closing, execution, intake, proposals, reply, specialists
from graphs.support.result import RESULT
from graphs.support.settings import ROLES, SPECIALISTS, SupportSettings
from graphs.support.state import SupportInput, SupportState


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Any = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    **settings: Any,
) -> CompiledStateGraph[SupportState, SupportSettings, SupportInput, SupportState]:
    """Build the support team.

    Args:
        models: role (``triage``, ``account``, ``diagnosis``, ``resolution``, ``writer``,
            ``critic``) -> ``"provider:model"``, ``local`` or a chat model.
        tools: unused: the desk makes its own read-only tools for each run's customer.
        checkpointer: saver for threads, approvals and resume, passed to ``compile``.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        **settings: defaults of :class:`SupportSettings` (``customer_id``, ``db_path``,
            ``auto_approve``, ``feedback``, ``max_calls``, ...); a run may override them
            with ``context``.
    """
    crew, schema = make_crew(
        "support", ROLES, SupportSettings, models, None, settings, check_models
    )
    builder = StateGraph(SupportState, input_schema=SupportInput, context_schema=schema)
    builder.add_node("triage", stop_at_limits(RESULT, bound(intake.triage, crew)))
    for role in SPECIALISTS:
        builder.add_node(role, specialists.specialist_graph(crew, role, schema))
    builder.add_node("resolution", stop_at_limits(RESULT, bound(proposals.resolution, crew)))
    builder.add_node("policy", proposals.policy)
    builder.add_node("approve_actions", bound(execution.approve_actions, crew))
    builder.add_node("execute", execution.execute)
    builder.add_node("escalate", closing.escalate)
    builder.add_node("writer", stop_at_limits(RESULT, bound(reply.writer, crew)))
    builder.add_node("critic", stop_at_limits(RESULT, bound(reply.critic, crew)))
    builder.add_node("feedback", bound(closing.feedback, crew))
    builder.add_node("finish", closing.finish)
    builder.add_edge(START, "triage")
    builder.add_conditional_edges(
        "triage", ends_at_limits(intake.route_after_triage), [*SPECIALISTS, END]
    )
    builder.add_edge(list(SPECIALISTS), "resolution")
    builder.add_conditional_edges("resolution", ends_at_limits("policy"), ["policy", END])
    builder.add_edge("policy", "approve_actions")
    builder.add_edge("approve_actions", "execute")
    builder.add_conditional_edges("execute", closing.route_after_execute, ["escalate", "writer"])
    builder.add_conditional_edges("escalate", closing.route_after_escalate, ["writer", "finish"])
    builder.add_conditional_edges("writer", ends_at_limits("critic"), ["critic", END])
    builder.add_conditional_edges(
        "critic",
        ends_at_limits(bound(reply.route_after_critique, crew)),
        ["writer", "feedback", END],
    )
    builder.add_conditional_edges("feedback", closing.route_after_feedback, ["escalate", "finish"])
    builder.add_edge("finish", END)
    return builder.compile(checkpointer=checkpointer, store=store, name="support")


def default_graph() -> CompiledStateGraph[Any, Any, Any, Any]:
    """The team with the env/default models (checked when a run calls them)."""
    return build_graph(check_models=False)


make_graph = served_factory(default_graph)
"""The team as ``langgraph.json`` serves it: :func:`default_graph`, built per run."""
