"""The ReAct agent: think, call a tool, observe, repeat, then answer with citations.

Two ways to ask the model for its next step:

* native tool calling (``bind_tools``) for models that support it, the default embedded
  model among them;
* structured actions for models without tool calling (the 135M embedded model): one JSON
  object ``{"thought": str, "action": <tool name> | "final_answer", "action_input": str}``
  whose ``action`` is constrained to the tool names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller, reply_text
from agents.llm.structured import FallbackNote, decide
from agents.reply_language import in_their_language
from agents.tool_asking import ask_with_tools
from tools.tool_addressing import input_arguments, retrieval_tools, tool_catalogue

FINAL_ANSWER = "final_answer"

REACT_SYSTEM = (
    "You are a careful research assistant. Answer the user's question with the help of "
    "tools: decide on one action, read its observation, and repeat until you can answer. "
    "Base the answer on the observations and cite them by their numbers in square "
    "brackets, e.g. [1]. Tools:\n{tools}"
)
NATIVE_SYSTEM = "You are a helpful assistant. Use the tools to look facts up and to calculate."
"""For models that call tools natively: they get the tools with the request. Longer prompts
(listing the tools again, or the answer's form) lead small models to narrate a plan, or
copy the tool list, instead of calling; the answer's form is asked for when it is written."""
STRUCTURED_RULES = (
    "\n\nReply with the next step only: a thought, then an action (one tool name, or "
    f"{FINAL_ANSWER} when you can answer) and its input (the tool's input, or your final "
    "answer with citations)."
)
SCRATCHPAD_STEP = (
    "Step {n}\nThought: {thought}\nAction: {action}\nAction input: {value}\n"
    "Observation:\n{observation}"
)
ANSWER_SYSTEM = (
    "You answer questions from the numbered sources given. Answer in one to three "
    "sentences, using only the sources, and cite them by number, e.g. [1]."
)
ANSWER_REQUEST = "Sources:\n{observations}\n\nQuestion: {question}\n{language}\nAnswer:"


def action_schema(tool_names: Sequence[str], allow_answer: bool = True) -> type[BaseModel]:
    """The structured-action model, with ``action`` limited to the given names."""
    names = tuple(tool_names) + ((FINAL_ANSWER,) if allow_answer else ())
    action_type = cast(Any, Literal).__getitem__(names)
    return create_model(
        "AgentAction",
        thought=(str, Field(max_length=400, description="Your reasoning for the next step.")),
        action=(
            action_type,
            Field(
                description=f"A tool name, or {FINAL_ANSWER}." if allow_answer else "A tool name."
            ),
        ),
        action_input=(
            str,
            Field(max_length=1200, description="The tool's input, or the final answer."),
        ),
    )


def scratchpad(question: str, messages: Sequence[AnyMessage]) -> str:
    """The question and every step so far, as plain text (for structured mode)."""
    observations = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    steps: list[str] = []
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                observation = observations.get(call.get("id") or "")
                steps.append(
                    SCRATCHPAD_STEP.format(
                        n=len(steps) + 1,
                        thought=reply_text(message) or "-",
                        action=call["name"],
                        value=next(iter(call["args"].values()), ""),
                        observation=observation.content if observation else "(none)",
                    )
                )
    history = "\n\n".join(steps) if steps else "(no steps yet)"
    return f"Question: {question}\n\n{history}\n\nWhat is the next step?"


def structured_step(
    caller: RoleCaller,
    question: str,
    messages: Sequence[AnyMessage],
    tools: Sequence[BaseTool],
    step: int,
    allow_answer: bool,
) -> tuple[AIMessage, list[FallbackNote]]:
    """The next action asked as JSON (a tool action becomes a tool call), and any fallback."""
    schema = action_schema([t.name for t in tools], allow_answer)
    prompt = [
        SystemMessage(
            REACT_SYSTEM.format(tools=tool_catalogue(tools))
            + STRUCTURED_RULES
            + f"\n{in_their_language(question, 'question')}"
        ),
        HumanMessage(scratchpad(question, messages)),
    ]
    fallback = schema.model_validate(
        {
            "thought": "No usable next step was returned.",
            "action": FINAL_ANSWER if allow_answer else tools[0].name,
            "action_input": "" if allow_answer else question,
        }
    )
    decision = decide(caller, prompt, schema, fallback=fallback)
    chosen = decision.value
    action, value = str(chosen.action), str(chosen.action_input)  # type: ignore[attr-defined]
    if action == FINAL_ANSWER:
        return AIMessage(content=value), decision.notes("agent")
    tool = next(t for t in tools if t.name == action)
    call = {"name": action, "args": input_arguments(tool, value), "id": f"step-{step}"}
    thought = str(chosen.thought)  # type: ignore[attr-defined]
    return AIMessage(content=thought, tool_calls=[call]), decision.notes("agent")


def native_step(
    caller: RoleCaller,
    question: str,
    messages: Sequence[AnyMessage],
    tools: Sequence[BaseTool],
    require_tool: bool,
) -> AIMessage:
    """Ask a tool-calling model for its next message (tool calls or the answer)."""
    system = f"{NATIVE_SYSTEM} {in_their_language(question, 'question')}"
    opening = [SystemMessage(system), HumanMessage(question)]
    return ask_with_tools(caller, opening, messages, tools, require_tool)


def observations_text(messages: Sequence[AnyMessage]) -> str:
    """Every distinct observation so far, in order."""
    seen: list[str] = []
    for message in messages:
        if isinstance(message, ToolMessage) and message.status != "error":
            text = str(message.content)
            if text not in seen:
                seen.append(text)
    return "\n\n".join(seen) or "(no observations)"


def write_answer(caller: RoleCaller, question: str, messages: Sequence[AnyMessage]) -> AIMessage:
    """Write the final answer from the observations so far, without tools."""
    prompt = [
        SystemMessage(ANSWER_SYSTEM),
        HumanMessage(
            ANSWER_REQUEST.format(
                observations=observations_text(messages),
                question=question,
                language=in_their_language(question, "question"),
            )
        ),
    ]
    return cast(AIMessage, caller.invoke(prompt))


def repeats_earlier_call(message: AIMessage, history: Sequence[AnyMessage]) -> bool:
    """Whether every tool call of ``message`` was already made with the same input.

    Inputs are compared without the spaces around a text (``"wifi password "`` asks
    what ``"wifi password"`` asked).
    """
    earlier = {
        call_input(call)
        for past in history
        if isinstance(past, AIMessage) and past is not message
        for call in past.tool_calls
    }
    calls = [call_input(call) for call in message.tool_calls]
    return bool(calls) and all(call in earlier for call in calls)


def call_input(call: ToolCall) -> tuple[str, str]:
    """A tool call's name and arguments, each text stripped, as one comparable key."""
    args = {k: v.strip() if isinstance(v, str) else v for k, v in call["args"].items()}
    return call["name"], repr(sorted(args.items()))


SEARCH_FIRST_THOUGHT = "First, search every source with the question itself."


def search_first_step(question: str, tools: Sequence[BaseTool]) -> AIMessage | None:
    """A first step that sends the question to every retrieval tool (None if there are none).

    Retrieval tools are those that return citable sources.
    """
    searchers = retrieval_tools(tools)
    if not searchers:
        return None
    calls = [
        {"name": t.name, "args": input_arguments(t, question), "id": f"search-{t.name}"}
        for t in searchers
    ]
    return AIMessage(content=SEARCH_FIRST_THOUGHT, tool_calls=calls)
