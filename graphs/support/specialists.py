"""The account and diagnosis agents: each a bounded ReAct loop in its own parallel branch.

Each branch is ``<role>`` (the next step) <-> ``<role>_tools`` (run the calls), then
``<role>_findings``. The two branches write only their own keys (and the ``findings``
and ``usage`` reducers), so they run side by side. A failure in a branch (a model that
cannot be used, a run limit) ends that branch's loop with what it has read; the run
itself stops at the next step if a limit was reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.runtime import Runtime

from agents.llm.structured import FallbackNote
from agents.react_agent import repeats_earlier_call
from agents.support.account import ACCOUNT
from agents.support.diagnosis import DIAGNOSIS
from agents.support.investigation import (
    ALL_READ,
    Specialist,
    fallback_findings,
    first_round,
    native_step,
    write_findings,
)
from graphs.support.desk import SupportCrew, specialist_tools, ticket_brief
from graphs.support.settings import SupportSettings
from graphs.support.state import FindingsRecord, SupportState
from tools.kernel.errors import TeamgraphError
from tools.runner import run_tool_calls

ROLES: dict[str, Specialist] = {"account": ACCOUNT, "diagnosis": DIAGNOSIS}


def branch(state: SupportState, role: str, name: str, default: Any = None) -> Any:
    """The branch's own field ``<role>_<name>`` (messages, steps, error)."""
    value = cast(Mapping[str, Any], state).get(f"{role}_{name}")
    return default if value is None else value


def specialist(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """The specialist's next step: tool calls, or none when it knows enough."""
    shift = crew.shift(state, runtime)
    history = list(branch(state, role, "messages", []))
    tools = specialist_tools(role, state)
    brief = ticket_brief(state)
    try:
        if shift.guided(role):
            message = AIMessage(content=ALL_READ) if history else first_round(tools, role)
        else:
            message = native_step(shift.caller(role), ROLES[role], brief, history, tools)
    except TeamgraphError as error:
        return {f"{role}_error": str(error), **shift.spent()}
    return {f"{role}_messages": [message], **shift.spent()}


ToTools = Literal["account_tools", "account_findings", "diagnosis_tools", "diagnosis_findings"]
ToSpecialist = Literal["account", "account_findings", "diagnosis", "diagnosis_findings"]


def route_specialist(state: SupportState, *, role: str) -> ToTools:
    """To the tools for new calls; to the findings when done, repeating, or stopped."""
    history = branch(state, role, "messages", [])
    last = history[-1] if history else None
    if branch(state, role, "error") or not isinstance(last, AIMessage) or not last.tool_calls:
        return cast(ToTools, f"{role}_findings")
    if repeats_earlier_call(last, history):
        return cast(ToTools, f"{role}_findings")
    return cast(ToTools, f"{role}_tools")


def specialist_tools_node(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """Run the specialist's tool calls (read-only, this customer only); errors are observations."""
    history = branch(state, role, "messages", [])
    last = history[-1]
    assert isinstance(last, AIMessage)
    known = [s for m in history if isinstance(m, ToolMessage) for s in (m.artifact or [])]
    observations, _ = run_tool_calls(
        last.tool_calls,
        specialist_tools(role, state),
        known,
        crew.settings(runtime).max_observation_chars,
    )
    steps = int(branch(state, role, "steps", 0))
    return {f"{role}_messages": observations, f"{role}_steps": steps + 1}


def route_after_tools(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> ToSpecialist:
    """Back to the specialist until its step cap."""
    steps = int(branch(state, role, "steps", 0))
    done = steps >= crew.settings(runtime).max_specialist_steps
    return cast(ToSpecialist, f"{role}_findings" if done else role)


def rows_read(state: SupportState, role: str) -> list[str]:
    """The database rows the specialist's tools returned (``table/key``), in order."""
    rows: list[str] = []
    for message in branch(state, role, "messages", []):
        if isinstance(message, ToolMessage):
            for source in message.artifact or []:
                key = str(source.get("chunk_id") or "")
                if key and key not in rows:
                    rows.append(key)
    return rows


def findings(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew, role: str
) -> dict[str, Any]:
    """The specialist's findings, with the rows it read."""
    shift = crew.shift(state, runtime)
    history = list(branch(state, role, "messages", []))
    error = str(branch(state, role, "error", ""))
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
        rows=rows_read(state, role),
        steps=int(branch(state, role, "steps", 0)),
        fallback=bool(notes),
        error=error,
    )
    return {"findings": {role: record}, "fallbacks": notes, **shift.spent()}
