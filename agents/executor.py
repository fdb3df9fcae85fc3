"""The SubTaskExecutor: solve one sub-task with a tool or internal knowledge.

Per sub-task it picks a tool (or internal knowledge), writes search queries, calls the
tool and answers the sub-question from what came back. A tool-calling model does the first
two in one step, with native tool calls (``native``); other models choose in two
JSON-constrained decisions (``model``) or send the question to every retrieval tool
(``search``). Its prompt holds only the task,
the results of the task's own dependencies (summarised when too long) and, on the
direct path, the conversation so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, cast

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage, ToolCall
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller, reply_text
from agents.llm.structured import FallbackNote, decide
from agents.tool_asking import ask_with_tools
from agents.tool_modes import DEFAULT_CONTEXT_CHARS, ToolPolicy
from agents.wire import stripped
from tools.sources import Source
from tools.tool_addressing import calls_for, retrieval_tools, tool_catalogue
from tools.tool_runner import run_tool_calls
from tools.tool_runner_defaults import DEFAULT_TOOL_TIMEOUT_S

INTERNAL = "internal_knowledge"
MAX_QUERIES = 3

Query = Annotated[str, stripped(160)]


class SearchQueries(BaseModel):
    """The executor's queries for its tool: ``{"queries": [str]}``."""

    queries: list[Query] = Field(
        min_length=1, max_length=MAX_QUERIES, description="One to three short search queries."
    )


EXECUTOR_SYSTEM = "You solve one sub-task of a larger question, using the context given."
CHOOSE_REQUEST = (
    "{context}Sub-task: {query}\n\nPick the tool to solve it, or "
    f"{INTERNAL} if you already know the answer.\nTools:\n{{tools}}"
)
QUERIES_REQUEST = "{context}Sub-task: {query}\n\nWrite up to three short inputs for {tool}."
ANSWER_REQUEST = (
    "{context}{observations}Sub-task: {query}\n\nAnswer the sub-task in one to three "
    "sentences, citing sources by number, e.g. [1]."
)
NATIVE_REQUEST = (
    "{context}Sub-task: {query}\n\nLook it up with a tool (up to three calls), or answer in "
    "one to three sentences if the context or what you know already answers it."
)
SUMMARY_REQUEST = (
    "Summarise these results in at most {chars} characters, keeping every fact needed "
    "for the sub-task '{query}':\n\n{text}"
)


@dataclass
class TaskOutcome:
    """What executing one sub-task produced."""

    result: str
    tool: str
    queries: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    context_chars: int = 0
    fallbacks: list[FallbackNote] = field(default_factory=list)
    """Decisions (tool choice, queries) whose replies never validated."""
    tool_errors: list[str] = field(default_factory=list)
    """What each failed tool call said (an unreachable search, a tool that raised)."""


def choice_schema(tool_names: Sequence[str]) -> type[BaseModel]:
    """``{"reason": str, "tool": <tool name> | "internal_knowledge"}``."""
    names = (*tool_names, INTERNAL)
    return create_model(
        "ToolChoice",
        reason=(str, Field(max_length=200, description="Why this tool, in one sentence.")),
        tool=(cast(Any, Literal).__getitem__(names), Field(description="The tool to use.")),
    )


def summarise(caller: RoleCaller, text: str, query: str, max_chars: int) -> str:
    """``text`` if within ``max_chars`` characters, else a model summary cut to that length."""
    if len(text) <= max_chars:
        return text
    request = SUMMARY_REQUEST.format(chars=max_chars, query=query, text=text)
    return reply_text(caller.invoke([HumanMessage(request)]))[:max_chars]


def choose_tools(
    caller: RoleCaller,
    base: Sequence[BaseMessage],
    query: str,
    context_block: str,
    tools: Sequence[BaseTool],
) -> tuple[list[BaseTool], list[str], list[FallbackNote]]:
    """The model picks a tool (or internal knowledge) and writes up to three inputs for it."""
    request = CHOOSE_REQUEST.format(context=context_block, query=query, tools=tool_catalogue(tools))
    schema = choice_schema([t.name for t in tools])
    fallback = schema.model_validate({"reason": "no usable choice", "tool": INTERNAL})
    choice = decide(caller, [*base, HumanMessage(request)], schema, fallback=fallback)
    name = str(choice.value.tool)  # type: ignore[attr-defined]
    if name == INTERNAL:
        return [], [], choice.notes("executor")
    ask = QUERIES_REQUEST.format(context=context_block, query=query, tool=name)
    written = decide(
        caller,
        [*base, HumanMessage(ask)],
        SearchQueries,
        fallback=SearchQueries(queries=[query[:160]]),
    )
    notes = [*choice.notes("executor"), *written.notes("executor")]
    return [t for t in tools if t.name == name], list(written.value.queries), notes


def call_natively(
    caller: RoleCaller,
    base: Sequence[BaseMessage],
    query: str,
    context_block: str,
    tools: Sequence[BaseTool],
) -> tuple[list[ToolCall], str]:
    """The model calls tools itself (at most three calls), or answers at once (its text)."""
    request = NATIVE_REQUEST.format(context=context_block, query=query)
    reply = ask_with_tools(caller, [*base, HumanMessage(request)], [], tools)
    return list(reply.tool_calls[:MAX_QUERIES]), reply_text(reply)


def execute_task(
    caller: RoleCaller,
    task_id: int,
    query: str,
    context: str,
    tools: Sequence[BaseTool],
    *,
    policy: ToolPolicy = "model",
    context_chars: int = DEFAULT_CONTEXT_CHARS,
    tool_timeout_s: float = DEFAULT_TOOL_TIMEOUT_S,
) -> TaskOutcome:
    """Solve one sub-task: choose, query, observe, answer. Tool errors are observations.

    The calls for the task's queries run at once, each stopped after ``tool_timeout_s``.
    """
    context = summarise(caller, context, query, context_chars)
    context_block = f"Context:\n{context}\n\n" if context else ""
    base = [SystemMessage(EXECUTOR_SYSTEM)]
    calls: list[ToolCall] = []
    notes: list[FallbackNote] = []
    if tools and policy == "native":
        calls, answer = call_natively(caller, base, query, context_block, tools)
        if not calls:
            return TaskOutcome(answer, INTERNAL, context_chars=len(context))
    elif tools:
        if policy == "search":
            chosen, queries = retrieval_tools(tools) or list(tools[:1]), [query]
        else:
            chosen, queries, notes = choose_tools(caller, base, query, context_block, tools)
        calls = [call for tool in chosen for call in calls_for(tool, queries, f"task{task_id}")]
    sources: list[Source] = []
    observations = ""
    tool_errors: list[str] = []
    if calls:
        messages, sources = run_tool_calls(calls, tools, [], timeout_s=tool_timeout_s)
        observations = "Observations:\n" + "\n\n".join(str(m.content) for m in messages) + "\n\n"
        tool_errors = list(dict.fromkeys(str(m.content) for m in messages if m.status == "error"))
    answer_request = ANSWER_REQUEST.format(
        context=context_block, observations=observations, query=query
    )
    reply = caller.invoke([*base, HumanMessage(answer_request)])
    return TaskOutcome(
        result=reply_text(reply),
        tool=", ".join(dict.fromkeys(c["name"] for c in calls)) or INTERNAL,
        queries=[str(next(iter(c["args"].values()), "")) for c in calls],
        sources=sources,
        context_chars=len(context),
        fallbacks=notes,
        tool_errors=tool_errors,
    )
