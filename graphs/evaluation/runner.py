"""Run a team and a single-call baseline with the same model on the same questions."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from typing_extensions import TypedDict

from agents.calls import call_model, reply_text
from agents.errors import TeamgraphError
from agents.pricing import estimate_cost
from agents.usage import RoleUsage, usage_of
from graphs.evaluation.datasets import Question
from graphs.evaluation.scoring import Scores, score

BASELINE_SYSTEM = "Answer the question directly and concisely, with the facts it asks for."


class Attempt(TypedDict):
    """One system's answer to one question, with its cost."""

    answer: str
    scores: Scores
    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    cost_usd: float | None
    error: str


class Row(TypedDict):
    """One question: the team's attempt and the baseline's."""

    id: str
    question: str
    gold: list[str]
    team: Attempt
    baseline: Attempt


def _totals(usage: dict[str, RoleUsage]) -> tuple[int, int, int]:
    return (
        sum(u["calls"] for u in usage.values()),
        sum(u["input_tokens"] for u in usage.values()),
        sum(u["output_tokens"] for u in usage.values()),
    )


def _attempt(
    answer: str,
    gold: Sequence[str],
    usage: dict[str, RoleUsage],
    seconds: float,
    model: str,
    error: str = "",
) -> Attempt:
    calls, tokens_in, tokens_out = _totals(usage)
    price = estimate_cost(
        model,
        RoleUsage(calls=calls, input_tokens=tokens_in, output_tokens=tokens_out, seconds=seconds),
    )
    return Attempt(
        answer=answer,
        scores=score(answer, gold),
        calls=calls,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        seconds=round(seconds, 3),
        cost_usd=price,
        error=error,
    )


def baseline_answer(
    model: BaseChatModel, question: str, gold: Sequence[str], label: str
) -> Attempt:
    """One model call, no tools, no team."""
    started = time.perf_counter()
    try:
        reply = call_model(
            "baseline", model, [SystemMessage(BASELINE_SYSTEM), HumanMessage(question)]
        )
    except TeamgraphError as error:
        return _attempt("", gold, {}, time.perf_counter() - started, label, str(error))
    return _attempt(
        reply_text(reply), gold, usage_of("baseline", [reply]), time.perf_counter() - started, label
    )


def team_answer(graph: Any, question: str, gold: Sequence[str], label: str) -> Attempt:
    """The team's answer (``answer`` or ``final_text``) and what it spent."""
    started = time.perf_counter()
    try:
        state = graph.invoke({"question": question})
    except TeamgraphError as error:
        return _attempt("", gold, {}, time.perf_counter() - started, label, str(error))
    answer = str(state.get("answer") or state.get("final_text") or "")
    return _attempt(answer, gold, state.get("usage") or {}, time.perf_counter() - started, label)


def evaluate(
    questions: Sequence[Question],
    graph: Any,
    model: BaseChatModel,
    label: str,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Answer every question with the team and with the baseline."""
    rows: list[Row] = []
    for item in questions:
        row = Row(
            id=item["id"],
            question=item["question"],
            gold=item["gold"],
            team=team_answer(graph, item["question"], item["gold"], label),
            baseline=baseline_answer(model, item["question"], item["gold"], label),
        )
        rows.append(row)
        if on_row:
            on_row(row)
    return rows
