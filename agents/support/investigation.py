"""How a support specialist investigates: a bounded ReAct loop over read-only tools, then findings.

A model with tool calling chooses its steps: tool calls, observations, more calls, until
it answers without a call or reaches the step cap. The embedded model and models without
tool calling take the guided path: one round that calls every tool (the specialists'
tools take no input, so there is nothing left to choose), without asking the model. The
loop ends with the findings, ``{"summary": str, "problems": [str]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, cast

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide

FIRST_ROUND_THOUGHT = "First, read every record this role can see."
ALL_READ = "Every record this role can see has been read."
MAX_OBSERVATIONS_CHARS = 2000


@dataclass(frozen=True)
class Specialist:
    """A specialist role: its name, what it looks for, and how it reports."""

    role: str
    brief: str
    """The system prompt: who it is and what it checks."""


class Findings(BaseModel):
    """A specialist's wire format: ``{"summary": str, "problems": [str]}``."""

    summary: str = Field(max_length=400, description="What you found, in one or two sentences.")
    problems: list[Annotated[str, Field(max_length=160)]] = Field(
        max_length=3,
        description="Each problem found, with the ids of the records it is in (bill, charge, "
        "line, device, outage, slot ids). Empty if there is none.",
    )


FINDINGS_REQUEST = (
    "{ticket}\n\nWhat you have read:\n{observations}\n\nWrite your findings for the colleague "
    "who decides what to do: a short summary, and each problem with the ids of its records. "
    "Use only what you have read."
)


def all_observations(history: Sequence[AnyMessage]) -> str:
    """Every distinct observation so far, in order."""
    seen: list[str] = []
    for message in history:
        if isinstance(message, ToolMessage):
            text = str(message.content)
            if text not in seen:
                seen.append(text)
    return "\n\n".join(seen) or "(nothing yet)"


def clipped(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, saying so when it was cut."""
    return text if len(text) <= max_chars else text[:max_chars].rstrip() + "\n[... cut]"


def observations(history: Sequence[AnyMessage], max_chars: int = MAX_OBSERVATIONS_CHARS) -> str:
    """Every distinct observation so far, in order, cut to ``max_chars`` characters."""
    return clipped(all_observations(history), max_chars)


def first_round(tools: Sequence[BaseTool], role: str) -> AIMessage:
    """The guided first step: every tool that takes no input, called once (no model call)."""
    calls = [{"name": t.name, "args": {}, "id": f"{role}-{t.name}"} for t in tools if not t.args]
    return AIMessage(content=FIRST_ROUND_THOUGHT, tool_calls=calls)


def native_step(
    caller: RoleCaller,
    specialist: Specialist,
    ticket: str,
    history: Sequence[AnyMessage],
    tools: Sequence[BaseTool],
) -> AIMessage:
    """Ask a tool-calling model for its next message (tool calls, or none to finish)."""
    bound = caller.model.bind_tools(list(tools))
    prompt = [SystemMessage(specialist.brief), HumanMessage(ticket), *history]
    return cast(AIMessage, caller.invoke(prompt, bound))


def fallback_findings(history: Sequence[AnyMessage], why: str) -> Findings:
    """Used when no findings validate (or none could be asked): the records read, as they are."""
    text = observations(history, 360)
    return Findings(summary=f"({why}) Records read: {text}"[:400], problems=[])


def write_findings(
    caller: RoleCaller, specialist: Specialist, ticket: str, history: Sequence[AnyMessage]
) -> Decision[Findings]:
    """The specialist's findings from what it read."""
    request = FINDINGS_REQUEST.format(ticket=ticket, observations=observations(history))
    messages = [SystemMessage(specialist.brief), HumanMessage(request)]
    fallback = fallback_findings(history, "no usable findings were written")
    return decide(caller, messages, Findings, fallback=fallback)
