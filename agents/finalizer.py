"""The FinalAnswerCompleter: the answer from the sub-task results, with numbered citations."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import HumanMessage, SystemMessage
from typing_extensions import TypedDict

from agents.conversation import Turn, conversation_block
from agents.llm.calls import RoleCaller, reply_text
from agents.reply_language import in_their_language
from tools.citations import merge_numbered, renumber
from tools.sources import Source

DEFAULT_RESULTS_CHARS = 6000

FINALIZER_SYSTEM = (
    "You write the final answer to the user's question from the results of the sub-tasks. "
    "Keep only what is relevant, be concise, and cite the numbered sources, e.g. [2], for "
    "every fact taken from them."
)
RESULTS_MAY_DIFFER = "Do so even where the results are in another language."
FINALIZER_REQUEST = "{conversation}Question: {question}\n\nSub-task results:\n{results}{sources}"


class TaskResult(TypedDict):
    """What the finalizer needs of one finished task."""

    id: int
    query: str
    result: str
    sources: list[Source]


def write_final_answer(
    caller: RoleCaller,
    question: str,
    turns: Sequence[Turn],
    tasks: Sequence[TaskResult],
    max_chars: int = DEFAULT_RESULTS_CHARS,
) -> tuple[str, list[Source]]:
    """The final answer and the sources it may cite, numbered across every task."""
    sources, mappings = merge_numbered([t["sources"] for t in tasks])
    share = max(200, max_chars // max(len(tasks), 1))
    results = "\n".join(
        f"Task {t['id']} ({t['query']}): {renumber(t['result'], numbers)[:share]}"
        for t, numbers in zip(tasks, mappings, strict=True)
    )
    listing = "\n".join(f"[{n}] {s['title']}" for n, s in enumerate(sources, start=1))
    request = FINALIZER_REQUEST.format(
        conversation=conversation_block(turns),
        question=question,
        results=results,
        sources=f"\n\nSources:\n{listing}" if listing else "",
    )
    language = f"{in_their_language(question, 'question')} {RESULTS_MAY_DIFFER}"
    messages = [SystemMessage(FINALIZER_SYSTEM), HumanMessage(f"{request}\n\n{language}")]
    return reply_text(caller.invoke(messages)), sources
