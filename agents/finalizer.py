"""The FinalAnswerCompleter: the answer from the sub-task results, with numbered citations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from langchain_core.messages import HumanMessage, SystemMessage
from typing_extensions import TypedDict

from agents.conversation import Turn, conversation_block
from agents.llm.calls import RoleCaller, reply_text
from agents.llm.structured import FallbackNote
from agents.reply_language import in_their_language
from agents.voter import normalise
from tools.citations import merge_numbered, renumber
from tools.sources import Source

DEFAULT_RESULTS_CHARS = 6000

FINALIZER_SYSTEM = (
    "You write the final answer to the user's question from the results of the sub-tasks. "
    "Keep only what is relevant, be concise, and cite the numbered sources, e.g. [2], for "
    "every fact taken from them."
)
RESULTS_MAY_DIFFER = "Do so even where the results are in another language."
ANSWER_NOT_QUESTION = "Write the answer, not the question."
"""Asked before the language: on a question in Japanese the embedded model wrote the
question back as its answer (with markers of sources it did not have), each time."""
REPEATED_QUESTION = "the reply only repeated the question; the answer is the sub-task results"
FINALIZER_REQUEST = "{conversation}Question: {question}\n\nSub-task results:\n{results}{sources}"


class TaskResult(TypedDict):
    """What the finalizer needs of one finished task."""

    id: int
    query: str
    result: str
    sources: list[Source]


class FinalAnswer(NamedTuple):
    """The answer, and the sources it may cite (numbered across every task).

    ``fallbacks`` notes the reply that could not be the answer, if there was one.
    """

    text: str
    sources: list[Source]
    fallbacks: list[FallbackNote]


def write_final_answer(
    caller: RoleCaller,
    question: str,
    turns: Sequence[Turn],
    tasks: Sequence[TaskResult],
    max_chars: int = DEFAULT_RESULTS_CHARS,
) -> FinalAnswer:
    """The final answer from the finished ``tasks``.

    A reply that only says the question again is no answer: the tasks' results are
    given instead, and a fallback note says so.
    """
    sources, mappings = merge_numbered([t["sources"] for t in tasks])
    share = max(200, max_chars // max(len(tasks), 1))
    renumbered = [
        renumber(t["result"], numbers) for t, numbers in zip(tasks, mappings, strict=True)
    ]
    results = "\n".join(
        f"Task {t['id']} ({t['query']}): {text[:share]}"
        for t, text in zip(tasks, renumbered, strict=True)
    )
    listing = "\n".join(f"[{n}] {s['title']}" for n, s in enumerate(sources, start=1))
    request = FINALIZER_REQUEST.format(
        conversation=conversation_block(turns),
        question=question,
        results=results,
        sources=f"\n\nSources:\n{listing}" if listing else "",
    )
    language = (
        f"{ANSWER_NOT_QUESTION} {in_their_language(question, 'question')} {RESULTS_MAY_DIFFER}"
    )
    messages = [SystemMessage(FINALIZER_SYSTEM), HumanMessage(f"{request}\n\n{language}")]
    answer = reply_text(caller.invoke(messages))
    given = "\n\n".join(text for text in renumbered if text.strip())
    if given and repeats_question(answer, question):
        note = FallbackNote(role=caller.role, decision="answer", error=REPEATED_QUESTION)
        return FinalAnswer(given, sources, [note])
    return FinalAnswer(answer, sources, [])


def repeats_question(answer: str, question: str) -> bool:
    """Whether ``answer`` says nothing but ``question``, compared as votes are.

    Case, punctuation, articles, citation markers and spacing do not count.
    """
    return normalise(answer) == normalise(question)
