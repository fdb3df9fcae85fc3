"""The SubTaskExecutor: solve one sub-task with a tool or internal knowledge.

Per sub-task it picks a tool (or internal knowledge), writes search queries, calls the
tool and answers the sub-question from what came back. Its prompt holds only the task,
the results of the task's own dependencies (summarised when over budget) and, on the
direct path, the conversation so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolCall
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, create_model

from agents.calls import call_model, reply_text
from agents.structured import decide
from tools.runner import run_tool_calls
from tools.sources import Source

INTERNAL = "internal_knowledge"
DEFAULT_CONTEXT_CHARS = 1500
MAX_QUERIES = 3
ToolPolicy = Literal["auto", "model", "search"]

Query = Annotated[str, Field(min_length=1, max_length=160)]


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
    replies: list[AIMessage] = field(default_factory=list)
    context_chars: int = 0


def choice_schema(tool_names: Sequence[str]) -> type[BaseModel]:
    """``{"reason": str, "tool": <tool name> | "internal_knowledge"}``."""
    names = (*tool_names, INTERNAL)
    return create_model(
        "ToolChoice",
        reason=(str, Field(max_length=200, description="Why this tool, in one sentence.")),
        tool=(cast(Any, Literal).__getitem__(names), Field(description="The tool to use.")),
    )


def retrieval_tools(tools: Sequence[BaseTool]) -> list[BaseTool]:
    """Tools that return citable sources."""
    return [t for t in tools if t.response_format == "content_and_artifact"]


def summarise(
    model: BaseChatModel, text: str, query: str, budget: int
) -> tuple[str, list[AIMessage]]:
    """``text`` if within ``budget`` characters, else a model summary cut to the budget."""
    if len(text) <= budget:
        return text, []
    request = SUMMARY_REQUEST.format(chars=budget, query=query, text=text)
    reply = call_model("executor", model, [HumanMessage(request)])
    return reply_text(reply)[:budget], [reply]


def _calls(tool: BaseTool, inputs: Sequence[str], task_id: int) -> list[ToolCall]:
    argument = next(iter(tool.args), "query")
    return [
        ToolCall(name=tool.name, args={argument: text}, id=f"task{task_id}-{tool.name}-{n}")
        for n, text in enumerate(inputs)
    ]


def execute_task(
    model: BaseChatModel,
    task_id: int,
    query: str,
    context: str,
    tools: Sequence[BaseTool],
    *,
    policy: ToolPolicy = "model",
    context_chars: int = DEFAULT_CONTEXT_CHARS,
) -> TaskOutcome:
    """Solve one sub-task: choose, query, observe, answer. Tool errors are observations."""
    replies: list[AIMessage] = []
    context, summary_replies = summarise(model, context, query, context_chars)
    replies.extend(summary_replies)
    context_block = f"Context:\n{context}\n\n" if context else ""
    base = [SystemMessage(EXECUTOR_SYSTEM)]
    chosen: list[BaseTool] = []
    queries: list[str] = []
    if tools and policy == "search":
        chosen, queries = retrieval_tools(tools) or list(tools[:1]), [query]
    elif tools:
        catalogue = "\n".join(f"- {t.name}: {t.description.splitlines()[0]}" for t in tools)
        request = CHOOSE_REQUEST.format(context=context_block, query=query, tools=catalogue)
        schema = choice_schema([t.name for t in tools])
        fallback = schema.model_validate({"reason": "no usable choice", "tool": INTERNAL})
        choice = decide(
            model, [*base, HumanMessage(request)], schema, fallback=fallback, role="executor"
        )
        replies.extend(choice.responses)
        name = str(choice.value.tool)  # type: ignore[attr-defined]
        if name != INTERNAL:
            chosen = [t for t in tools if t.name == name]
            ask = QUERIES_REQUEST.format(context=context_block, query=query, tool=name)
            written = decide(
                model,
                [*base, HumanMessage(ask)],
                SearchQueries,
                fallback=SearchQueries(queries=[query[:160]]),
                role="executor",
            )
            replies.extend(written.responses)
            queries = list(written.value.queries)
    sources: list[Source] = []
    observations = ""
    if chosen:
        calls = [call for tool in chosen for call in _calls(tool, queries, task_id)]
        messages, sources = run_tool_calls(calls, chosen, [])
        observations = "Observations:\n" + "\n\n".join(str(m.content) for m in messages) + "\n\n"
    answer_request = ANSWER_REQUEST.format(
        context=context_block, observations=observations, query=query
    )
    reply = call_model("executor", model, [*base, HumanMessage(answer_request)])
    replies.append(reply)
    return TaskOutcome(
        result=reply_text(reply),
        tool=", ".join(t.name for t in chosen) or INTERNAL,
        queries=queries,
        sources=sources,
        replies=replies,
        context_chars=len(context),
    )
