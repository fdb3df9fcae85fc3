"""The account and diagnosis agents: each a small ReAct subgraph with its own state.

Inside a specialist, ``agent`` (its next step) and ``tools`` (the shared ReAct step's
tool round) alternate until it has read enough or reaches its step cap; ``findings``
then writes what it found. The desk runs both specialists side by side: each reads the
ticket and the run from the desk's state and hands back only its findings, what it read,
its fallbacks and what it spent. A failure (a model that cannot be used, a run limit)
ends the loop with what it has read; the desk stops at its next step if a limit was
reached.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from agents.llm.structured import FallbackNote
from agents.llm.usage import UsageByRole, latest_usage
from agents.support.account import ACCOUNT
from agents.support.diagnosis import DIAGNOSIS
from agents.support.investigation import (
    ALL_READ,
    Specialist,
    all_observations,
    fallback_findings,
    first_round,
    native_step,
    write_findings,
)
from graphs.common.react_step import ToolLoopFields, tool_round, wants_tools, within_steps
from graphs.common.run import RunRecord
from graphs.common.wiring import bound
from graphs.support.desk import SupportCrew, specialist_tools, ticket_brief
from graphs.support.settings import SupportSettings
from graphs.support.state import FindingsRecord, by_role
from tools.kernel.errors import TeamgraphError

ROLES: dict[str, Specialist] = {"account": ACCOUNT, "diagnosis": DIAGNOSIS}


class SpecialistInput(TypedDict):
    """What a specialist reads of the desk's state: the run, the ticket and whose it is."""

    run: RunRecord
    usage: Annotated[UsageByRole, latest_usage]
    ticket: str
    customer_id: str
    db_path: str
    triage: dict[str, Any]


class SpecialistOutput(TypedDict, total=False):
    """What a specialist hands back to the desk."""

    findings: Annotated[dict[str, FindingsRecord], by_role]
    records: Annotated[dict[str, str], by_role]
    fallbacks: Annotated[list[FallbackNote], operator.add]
    usage: Annotated[UsageByRole, latest_usage]


class SpecialistState(SpecialistInput, ToolLoopFields, total=False):
    """A specialist's own state: its tool calls and observations, its findings."""

    error: str
    """Why it stopped early ("" if it did not)."""
    findings: Annotated[dict[str, FindingsRecord], by_role]
    records: Annotated[dict[str, str], by_role]
    fallbacks: Annotated[list[FallbackNote], operator.add]


def agent(
    state: SpecialistState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """The specialist's next step: tool calls, or none when it knows enough."""
    shift = crew.shift(state, runtime)
    history = list(state.get("messages") or [])
    tools = specialist_tools(role, state)
    try:
        if shift.guided(role):
            message = AIMessage(content=ALL_READ) if history else first_round(tools, role)
        else:
            message = native_step(
                shift.caller(role), ROLES[role], ticket_brief(state), history, tools
            )
    except TeamgraphError as error:
        return {"error": str(error), **shift.spent()}
    return {"messages": [message], **shift.spent()}


def route_after_agent(state: SpecialistState) -> Literal["tools", "findings"]:
    """To the tools for new calls; to the findings when done, repeating, or stopped."""
    if state.get("error") or not wants_tools(state.get("messages") or []):
        return "findings"
    return "tools"


def run_tools(
    state: SpecialistState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """Run the specialist's tool calls (read-only, this customer only); errors are observations."""
    max_chars = crew.settings(runtime).max_observation_chars
    return tool_round(state, specialist_tools(role, state), max_chars)


def route_after_tools(
    state: SpecialistState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> Literal["agent", "findings"]:
    """Back to the specialist until its step cap."""
    return (
        "agent" if within_steps(state, crew.settings(runtime).max_specialist_steps) else "findings"
    )


def rows_read(state: SpecialistState) -> list[str]:
    """The database rows the specialist's tools returned (``table/key``), in order."""
    rows: list[str] = []
    for message in state.get("messages") or []:
        if isinstance(message, ToolMessage):
            for source in message.artifact or []:
                key = str(source.get("chunk_id") or "")
                if key and key not in rows:
                    rows.append(key)
    return rows


def findings(
    state: SpecialistState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """The specialist's findings, with the rows it read."""
    shift = crew.shift(state, runtime)
    history = list(state.get("messages") or [])
    error = str(state.get("error") or "")
    notes: list[FallbackNote] = []
    if not error:
        try:
            decision = write_findings(shift.caller(role), ROLES[role], ticket_brief(state), history)
            value, notes = decision.value, decision.notes(role)
        except TeamgraphError as failure:
            error = str(failure)
    if error:
        value = fallback_findings(history, f"stopped: {error}")
        notes = [FallbackNote(role=role, decision="Findings", error=error[:300])]
    record = FindingsRecord(
        role=role,
        summary=value.summary,
        problems=list(value.problems),
        rows=rows_read(state),
        steps=int(state.get("steps", 0)),
        fallback=bool(notes),
        error=error,
    )
    return {
        "findings": {role: record},
        "records": {role: all_observations(history)},
        "fallbacks": notes,
        **shift.spent(),
    }


def specialist_graph(
    crew: SupportCrew, role: str, schema: type[SupportSettings]
) -> CompiledStateGraph[SpecialistState, SupportSettings, SpecialistInput, SpecialistOutput]:
    """The ``role`` specialist's subgraph: agent <-> tools, then findings."""
    builder = StateGraph(
        SpecialistState,
        input_schema=SpecialistInput,
        output_schema=SpecialistOutput,
        context_schema=schema,
    )
    builder.add_node("agent", bound(agent, crew, role=role))
    builder.add_node("tools", bound(run_tools, crew, role=role))
    builder.add_node("findings", bound(findings, crew, role=role))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", route_after_agent, ["tools", "findings"])
    builder.add_conditional_edges("tools", bound(route_after_tools, crew), ["agent", "findings"])
    builder.add_edge("findings", END)
    return builder.compile(name=role)
