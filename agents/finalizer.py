"""The FinalAnswerCompleter: the answer from the sub-task results, with numbered citations."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from typing_extensions import TypedDict

from agents.calls import call_model
from agents.conversation import Turn
from agents.decider import conversation_block
from tools.runner import number_sources
from tools.sources import Source

DEFAULT_RESULTS_CHARS = 6000
LOCAL_CITATION = re.compile(r"\[(\d{1,3})\]")

FINALIZER_SYSTEM = (
    "You write the final answer to the user's question from the results of the sub-tasks. "
    "Keep only what is relevant, be concise, and cite the numbered sources, e.g. [2], for "
    "every fact taken from them."
)
FINALIZER_REQUEST = "{conversation}Question: {question}\n\nSub-task results:\n{results}{sources}"


class TaskResult(TypedDict):
    """What the finalizer needs of one finished task."""

    id: int
    query: str
    result: str
    sources: list[Source]


def global_sources(tasks: Sequence[TaskResult]) -> tuple[list[Source], dict[int, list[int]]]:
    """All sources numbered once across tasks, and per task its local -> global numbers."""
    numbered: list[Source] = []
    mapping: dict[int, list[int]] = {}
    for task in tasks:
        numbers, new = number_sources(numbered, task["sources"])
        numbered.extend(new)
        mapping[task["id"]] = numbers
    return numbered, mapping


def renumber(text: str, numbers: Sequence[int]) -> str:
    """Rewrite a task's local ``[k]`` citations to the global numbers."""

    def swap(match: re.Match[str]) -> str:
        local = int(match.group(1))
        return f"[{numbers[local - 1]}]" if 1 <= local <= len(numbers) else ""

    return LOCAL_CITATION.sub(swap, text)


def write_final_answer(
    model: BaseChatModel,
    question: str,
    turns: Sequence[Turn],
    tasks: Sequence[TaskResult],
    budget: int = DEFAULT_RESULTS_CHARS,
) -> tuple[AIMessage, list[Source]]:
    """The final answer and the globally numbered sources it may cite."""
    sources, mapping = global_sources(tasks)
    share = max(200, budget // max(len(tasks), 1))
    results = "\n".join(
        f"Task {t['id']} ({t['query']}): {renumber(t['result'], mapping[t['id']])[:share]}"
        for t in tasks
    )
    listing = "\n".join(f"[{n}] {s['title']}" for n, s in enumerate(sources, start=1))
    request = FINALIZER_REQUEST.format(
        conversation=conversation_block(turns),
        question=question,
        results=results,
        sources=f"\n\nSources:\n{listing}" if listing else "",
    )
    messages = [SystemMessage(FINALIZER_SYSTEM), HumanMessage(request)]
    return call_model("finalizer", model, messages), sources
