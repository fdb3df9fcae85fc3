"""The ReAct step every tool-using agent shares: call tools, observe, repeat, within a cap.

An agent keeps its own ``messages`` (its tool calls and their observations), the
``steps`` (tool rounds) made so far and the ``sources`` its tools returned. After each of
the agent's turns :func:`wants_tools` says whether there are tools to run;
:func:`tool_round` runs them (a failing tool is an observation, sources get numbers);
:func:`within_steps` says whether the agent may take another turn.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

from langchain_core.messages import AIMessage, AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from tools.sources import Source
from tools.tool_runner_defaults import DEFAULT_TOOL_TIMEOUT_S

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool


class ToolLoopFields(TypedDict, total=False):
    """The part of an agent's state the ReAct step reads and writes."""

    messages: Annotated[list[AnyMessage], add_messages]
    """The agent's steps: tool calls and observations."""
    steps: int
    """Tool rounds so far."""
    sources: Annotated[list[Source], operator.add]
    """Every source the tools returned, numbered by position."""


def wants_tools(messages: Sequence[AnyMessage]) -> bool:
    """Whether the agent's last turn asks for tool calls it has not made before."""
    from agents.react_agent import repeats_earlier_call

    last = messages[-1] if messages else None
    if not isinstance(last, AIMessage) or not last.tool_calls:
        return False
    return not repeats_earlier_call(last, messages)


def tool_round(
    state: Mapping[str, Any],
    tools: Sequence[BaseTool],
    max_chars: int,
    timeout_s: float = DEFAULT_TOOL_TIMEOUT_S,
) -> dict[str, Any]:
    """Run the last turn's tool calls: observations, the new sources, one more step."""
    from tools.tool_runner import run_tool_calls

    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    observations, new_sources = run_tool_calls(
        last.tool_calls, tools, state.get("sources") or [], max_chars, timeout_s=timeout_s
    )
    return {
        "messages": list(observations),
        "sources": new_sources,
        "steps": state.get("steps", 0) + 1,
    }


def within_steps(state: Mapping[str, Any], cap: int) -> bool:
    """Whether the agent may take another turn after the tool rounds made so far."""
    return bool(state.get("steps", 0) < cap)
