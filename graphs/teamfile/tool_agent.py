"""A role with tools: a small ReAct subgraph with its own state (the shared ReAct step).

``agent`` (the role's next step) and ``tools`` (a tool round) alternate until the role
answers, repeats a call or reaches ``max_steps`` rounds; ``answer`` then writes the
answer from the observations (a model without native tool calls always ends there), and
``cite`` keeps the numbers the observations gave its sources. The sources handed to the
role come first, so their numbers stay as the role read them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any, Literal

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from agents.llm.calls import reply_text
from agents.llm.structured import FallbackNote
from agents.llm.usage import UsageByRole, latest_usage
from agents.react_agent import search_first_step, structured_step, write_answer
from agents.tool_asking import ask_with_tools
from graphs.common.crew import Crew
from graphs.common.react_step import ToolLoopFields, tool_round, wants_tools, within_steps
from graphs.common.run import RunRecord
from graphs.common.wiring import bound
from graphs.teamfile.settings import TeamFileSettings
from tools.citations import Citation, cite_as_observed
from tools.sources import Source

TeamFileCrew = Crew[TeamFileSettings]
ToolGetter = Callable[[], list[BaseTool]]
TOOL_HINT = "\n\nUse the tools to look facts up and to calculate."
BRIEFED = "You are this role: {persona}\n\n{task}"
"""The task as a model on the guided path reads it (its system prompt is the ReAct step's)."""


class HandedSources(TypedDict, total=False):
    """The sources handed to the role, numbered 1..k as the work it got cites them."""

    sources: Annotated[list[Source], operator.add]


class AgentInput(HandedSources):
    """What the role gets: the run, the request (its search query) and its whole task."""

    run: RunRecord
    usage: Annotated[UsageByRole, latest_usage]
    request: str
    task: str


class AgentOutput(TypedDict, total=False):
    """What the role hands back."""

    answer: str
    citations: list[Citation]
    fallbacks: Annotated[list[FallbackNote], operator.add]
    usage: Annotated[UsageByRole, latest_usage]


class AgentState(AgentInput, ToolLoopFields, total=False):
    """The role's own state: its steps, observations and answer."""

    answer: str
    citations: list[Citation]
    fallbacks: Annotated[list[FallbackNote], operator.add]


def agent(
    state: AgentState,
    runtime: Runtime[TeamFileSettings],
    *,
    crew: TeamFileCrew,
    role: str,
    persona: str,
    tools: ToolGetter,
) -> dict[str, Any]:
    """The role's next step: tool calls, or its answer."""
    shift = crew.shift(state, runtime)
    history = list(state.get("messages") or [])
    steps = state.get("steps", 0)
    notes: list[FallbackNote] = []
    if not history and shift.searches_first(role):
        first = search_first_step(state["request"], tools())
        if first is not None:
            return {"messages": [first]}
    if shift.guided(role):
        briefed = BRIEFED.format(persona=persona, task=state["task"])
        message, notes = structured_step(
            shift.caller(role), briefed, history, tools(), steps + 1, steps > 0
        )
        if not message.tool_calls:
            return {"fallbacks": notes, **shift.spent()}
    else:
        opening = [SystemMessage(persona + TOOL_HINT), HumanMessage(state["task"])]
        message = ask_with_tools(shift.caller(role), opening, history, tools(), steps == 0)
        if not message.tool_calls:
            return {"answer": reply_text(message), **shift.spent()}
    return {"messages": [message], "fallbacks": notes, **shift.spent()}


def route_after_agent(state: AgentState) -> Literal["tools", "answer", "cite"]:
    """To the tools for new calls; to the answer when done or repeating; cite an answer."""
    if state.get("answer"):
        return "cite"
    return "tools" if wants_tools(state.get("messages") or []) else "answer"


def run_tools(
    state: AgentState, runtime: Runtime[TeamFileSettings], *, crew: TeamFileCrew, tools: ToolGetter
) -> dict[str, Any]:
    """Run the role's tool calls; errors become observations, sources get numbers."""
    settings = crew.settings(runtime)
    return tool_round(state, tools(), settings.max_observation_chars, settings.tool_timeout_s)


def route_after_tools(
    state: AgentState, runtime: Runtime[TeamFileSettings], *, crew: TeamFileCrew
) -> Literal["agent", "answer"]:
    """Back to the role until its step cap."""
    return "agent" if within_steps(state, crew.settings(runtime).max_steps) else "answer"


def answer(
    state: AgentState,
    runtime: Runtime[TeamFileSettings],
    *,
    crew: TeamFileCrew,
    role: str,
    persona: str,
) -> dict[str, Any]:
    """Write the answer from the observations, as the role."""
    shift = crew.shift(state, runtime)
    briefed = BRIEFED.format(persona=persona, task=state["task"])
    message = write_answer(shift.caller(role), briefed, state.get("messages") or [])
    return {"answer": reply_text(message), **shift.spent()}


def cite(state: AgentState) -> dict[str, Any]:
    """Keep each ``[n]`` the number its source had when it was observed."""
    cited = cite_as_observed(state.get("answer", ""), state.get("sources") or [])
    return {"answer": cited.text, "citations": cited.citations}


def tool_agent(
    crew: TeamFileCrew, role: str, persona: str, tools: ToolGetter
) -> CompiledStateGraph[AgentState, TeamFileSettings, AgentInput, AgentOutput]:
    """The subgraph of ``role``: agent <-> tools, then answer and cite."""
    builder = StateGraph(
        AgentState,
        input_schema=AgentInput,
        output_schema=AgentOutput,
        context_schema=type(crew.defaults),
    )
    builder.add_node("agent", bound(agent, crew, role=role, persona=persona, tools=tools))
    builder.add_node("tools", bound(run_tools, crew, tools=tools))
    builder.add_node("answer", bound(answer, crew, role=role, persona=persona))
    builder.add_node("cite", cite)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", route_after_agent, ["tools", "answer", "cite"])
    builder.add_conditional_edges("tools", bound(route_after_tools, crew), ["agent", "answer"])
    builder.add_edge("answer", "cite")
    builder.add_edge("cite", END)
    return builder.compile(name=role)
