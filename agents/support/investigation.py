"""How a support specialist investigates: a bounded ReAct loop over read-only tools, then findings.

A step is either tool calls (native tool calling for providers that have it) or, for
the embedded model and models without tool calling, one JSON object
``{"thought", "action": <tool name> | "finish", "action_input"}`` with the action
constrained to the tool names. On that guided path the first step calls every tool
that takes no input, without asking the model, and the model is asked for further
steps only if a tool takes an input. The loop ends with the findings:
``{"summary": str, "problems": [str]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from tools.calling import input_arguments, tool_catalogue

FINISH = "finish"
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


STEP_RULES = (
    "\n\nTools:\n{tools}\n\nReply with your next step only: a thought, then an action (one "
    f"tool name, or {FINISH} when you know enough) and its input (the tool's input, or "
    "nothing)."
)
STEP_REQUEST = "{ticket}\n\nWhat you have read so far:\n{observations}\n\nWhat is the next step?"
FINDINGS_REQUEST = (
    "{ticket}\n\nWhat you have read:\n{observations}\n\nWrite your findings for the colleague "
    "who decides what to do: a short summary, and each problem with the ids of its records. "
    "Use only what you have read."
)


def observations(history: Sequence[AnyMessage], budget: int = MAX_OBSERVATIONS_CHARS) -> str:
    """Every distinct observation so far, in order, cut to ``budget`` characters."""
    seen: list[str] = []
    for message in history:
        if isinstance(message, ToolMessage):
            text = str(message.content)
            if text not in seen:
                seen.append(text)
    joined = "\n\n".join(seen) or "(nothing yet)"
    return joined if len(joined) <= budget else joined[:budget].rstrip() + "\n[... cut]"


def first_round(tools: Sequence[BaseTool], role: str) -> AIMessage:
    """The guided first step: every tool that takes no input, called once (no model call)."""
    calls = [{"name": t.name, "args": {}, "id": f"{role}-{t.name}"} for t in tools if not t.args]
    return AIMessage(content=FIRST_ROUND_THOUGHT, tool_calls=calls)


def asks_for_input(tools: Sequence[BaseTool]) -> bool:
    """Whether a tool takes an input (after the first round, only those can show more)."""
    return any(t.args for t in tools)


def step_schema(tool_names: Sequence[str]) -> type[BaseModel]:
    """The structured step, with ``action`` limited to the tool names and ``finish``."""
    names = (*tool_names, FINISH)
    return create_model(
        "SpecialistStep",
        thought=(str, Field(max_length=300, description="Why this step, in one sentence.")),
        action=(
            cast(Any, Literal).__getitem__(names),
            Field(description=f"A tool name, or {FINISH}."),
        ),
        action_input=(str, Field(max_length=100, description="The tool's input, or empty.")),
    )


def structured_step(
    caller: RoleCaller,
    specialist: Specialist,
    ticket: str,
    history: Sequence[AnyMessage],
    tools: Sequence[BaseTool],
    step: int,
) -> AIMessage:
    """The next step asked as JSON: a tool call, or a message without one to finish."""
    schema = step_schema([t.name for t in tools])
    prompt = [
        SystemMessage(specialist.brief + STEP_RULES.format(tools=tool_catalogue(tools))),
        HumanMessage(STEP_REQUEST.format(ticket=ticket, observations=observations(history))),
    ]
    fallback = schema.model_validate(
        {"thought": "No usable next step was returned.", "action": FINISH, "action_input": ""}
    )
    chosen: Any = decide(caller, prompt, schema, fallback=fallback).value
    if chosen.action == FINISH:
        return AIMessage(content=str(chosen.thought))
    tool = next(t for t in tools if t.name == chosen.action)
    arguments = input_arguments(tool, str(chosen.action_input)) if tool.args else {}
    call = {"name": tool.name, "args": arguments, "id": f"{specialist.role}-step-{step}"}
    return AIMessage(content=str(chosen.thought), tool_calls=[call])


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
