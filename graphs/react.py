"""The ReAct team: one agent thinks, calls a tool, observes, and repeats, then answers.

``agent`` and ``tools`` form a loop through a conditional edge, bounded by
``max_steps`` tool rounds. ``answer`` writes the answer from the observations when the
agent is ready in structured mode, hits the cap, or repeats an earlier call; a
tool-calling model's own final message is the answer otherwise. ``finalize`` attaches the
numbered sources the answer cites.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from typing_extensions import TypedDict

from agents.calls import reply_text
from agents.citations import Citation, cite
from agents.errors import InputError
from agents.models import LOCAL, ModelSetting, RoleModels, model_label
from agents.react_agent import (
    ToolMode,
    native_step,
    repeats_earlier_call,
    search_first_step,
    structured_step,
    write_answer,
)
from agents.usage import UsageByRole, merge_usage, usage_of
from graphs.budgeted import BudgetStop, stop_on_budget, with_budget
from tools.lazy import ToolsOnDemand
from tools.runner import DEFAULT_OBSERVATION_CHARS, run_tool_calls
from tools.sources import Source

ROLES = ("agent",)
DEFAULT_MAX_STEPS = 8
StopReason = Literal["answered", "max_steps", "repeated_action", "max_calls", "max_tokens_total"]
FirstStep = Literal["auto", "search", "model"]


class ReactInput(TypedDict):
    """What a caller gives the team."""

    question: str
    """The question to answer."""


class ReactState(TypedDict, total=False):
    """Everything the agent loop reads and writes."""

    question: str
    """The question to answer."""
    models: dict[str, str]
    """Role -> model name used in this run."""
    messages: Annotated[list[AnyMessage], add_messages]
    """The agent's steps: tool calls and observations."""
    steps: int
    """Tool rounds so far."""
    sources: Annotated[list[Source], operator.add]
    """Every source the tools returned, numbered by position (1-based)."""
    answer: str
    """The final answer."""
    citations: list[Citation]
    """The sources the answer cites (all consulted sources if it cites none)."""
    stop_reason: StopReason
    """Which rule ended the run."""
    budget_stop: BudgetStop | None
    """The run limit that ended the run, if one did."""
    usage: Annotated[UsageByRole, merge_usage]
    """Per-role calls and tokens."""


@dataclass
class ReactContext:
    """Per-run settings (editable in Studio); empty fields keep build_graph's values."""

    max_steps: int | None = None
    agent_model: str = ""


def uses_structured_actions(setting: ModelSetting, model: BaseChatModel, mode: ToolMode) -> bool:
    """Structured actions for the embedded model and models without tool calling."""
    if mode != "auto":
        return mode == "structured"
    return setting == LOCAL or type(model).bind_tools is BaseChatModel.bind_tools


def build_graph(
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Sequence[BaseTool] | None = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    tool_mode: ToolMode = "auto",
    min_tool_steps: int = 1,
    first_step: FirstStep = "auto",
    max_observation_chars: int = DEFAULT_OBSERVATION_CHARS,
    max_calls: int | None = None,
    max_tokens_total: int | None = None,
    check_models: bool = True,
) -> CompiledStateGraph[ReactState, ReactContext, ReactInput, ReactState]:
    """Build the ReAct team.

    Args:
        models: ``{"agent": "provider:model" | "local" | chat model}``.
        tools: the agent's tools (default: the toolbox of ``tools.registry``).
        checkpointer: saver for persistence, passed to ``compile``.
        store: long-term store, passed to ``compile``.
        max_steps: most tool rounds before the agent must answer.
        tool_mode: ``native`` tool calling, ``structured`` JSON actions, or ``auto``.
        min_tool_steps: tool rounds required before an answer is accepted.
        first_step: ``search`` sends the question itself to every retrieval tool as the
            first step; ``model`` lets the model choose; ``auto`` searches first in
            structured mode (small models choose their first tool poorly).
        max_observation_chars: observations are cut to this many characters.
        max_calls: most model calls in one run, across every role (None: no limit).
        max_tokens_total: most tokens (input + output) in one run (None: no limit).
        check_models: check the model settings now (else at the first model call).
    """
    if max_steps < 1:
        raise ValueError("max_steps must be 1 or more.")
    role_models = RoleModels(ROLES, models, check=check_models)
    toolset = ToolsOnDemand(tools)
    if toolset.given is not None and not toolset.given:
        raise ValueError("The ReAct team needs at least one tool.")

    def context(runtime: Runtime[ReactContext]) -> ReactContext:
        return runtime.context if runtime.context is not None else ReactContext()

    def step_cap(runtime: Runtime[ReactContext]) -> int:
        cap = context(runtime).max_steps
        return max_steps if cap is None else max(cap, 1)

    def agent(state: ReactState, runtime: Runtime[ReactContext]) -> ReactState:
        question = (state.get("question") or "").strip()
        if not question:
            raise InputError("The question is empty: ask something.")
        setting = role_models.setting("agent", context(runtime).agent_model or None)
        model = role_models.get("agent", context(runtime).agent_model or None)
        steps = state.get("steps", 0)
        history = state.get("messages") or []
        require_tool = steps < min(min_tool_steps, step_cap(runtime))
        update: ReactState = {"question": question, "models": {"agent": model_label(setting)}}
        structured = uses_structured_actions(setting, model, tool_mode)
        search_first = first_step == "search" or (first_step == "auto" and structured)
        opening = search_first_step(question, toolset()) if search_first and not history else None
        if opening is not None:
            update["messages"] = [opening]
            return update
        if structured:
            message, decision = structured_step(
                model, question, history, toolset(), steps + 1, not require_tool
            )
            update["usage"] = usage_of("agent", decision.responses)
        else:
            message = native_step(model, question, history, toolset(), require_tool)
            update["usage"] = usage_of("agent", [message])
        if message.tool_calls:
            update["messages"] = [message]
        elif structured:
            update["stop_reason"] = "answered"
        else:
            update["answer"] = reply_text(message)
            update["stop_reason"] = "answered"
        return update

    def run_tools(state: ReactState) -> ReactState:
        last = state["messages"][-1]
        assert isinstance(last, AIMessage)
        observations, new_sources = run_tool_calls(
            last.tool_calls, toolset(), state.get("sources") or [], max_observation_chars
        )
        messages: list[AnyMessage] = [*observations]
        return {"messages": messages, "sources": new_sources, "steps": state.get("steps", 0) + 1}

    def route_after_agent(state: ReactState) -> Literal["tools", "answer", "finalize"]:
        if state.get("answer"):
            return "finalize"
        if state.get("stop_reason"):
            return "answer"
        history = state.get("messages") or []
        last = history[-1]
        if isinstance(last, AIMessage) and repeats_earlier_call(last, history):
            return "answer"
        return "tools"

    def route_after_tools(
        state: ReactState, runtime: Runtime[ReactContext]
    ) -> Literal["agent", "answer"]:
        return "answer" if state.get("steps", 0) >= step_cap(runtime) else "agent"

    def answer(state: ReactState, runtime: Runtime[ReactContext]) -> ReactState:
        model = role_models.get("agent", context(runtime).agent_model or None)
        message = write_answer(model, state["question"], state.get("messages") or [])
        reason: StopReason = state.get("stop_reason") or (
            "max_steps" if state.get("steps", 0) >= step_cap(runtime) else "repeated_action"
        )
        return {
            "answer": reply_text(message),
            "stop_reason": reason,
            "usage": usage_of("agent", [message]),
        }

    def finalize(state: ReactState) -> ReactState:
        return {
            "citations": cite(state.get("answer", ""), state.get("sources") or []),
            "budget_stop": None,
        }

    builder = StateGraph(ReactState, input_schema=ReactInput, context_schema=ReactContext)
    builder.set_node_defaults(error_handler=stop_on_budget("answer"))
    builder.add_node("agent", agent)
    builder.add_node("tools", run_tools)
    builder.add_node("answer", answer)
    builder.add_node("finalize", finalize)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", route_after_agent)
    builder.add_conditional_edges("tools", route_after_tools)
    builder.add_edge("answer", "finalize")
    compiled = builder.compile(checkpointer=checkpointer, store=store, name="react")
    return with_budget(compiled, max_calls, max_tokens_total)


graph = build_graph(check_models=False)
"""The team with the env/default models, for ``langgraph.json`` (settings checked at run time)."""
