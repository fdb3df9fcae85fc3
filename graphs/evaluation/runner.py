"""Run a team and a single-call baseline with the same model on the same questions."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from typing_extensions import TypedDict

from agents.llm.calls import RoleCaller, reply_text
from agents.llm.ledger import Ledger
from agents.llm.usage import RoleUsage
from graphs.common.spec import TeamSpec
from graphs.evaluation.concurrency import run_all
from graphs.evaluation.datasets import Question
from graphs.evaluation.scoring import Scores, evidence_recall, score
from tools.kernel.errors import TeamgraphError

SINGLE_CALL = "single call"
"""Who works while the baseline answers."""
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
    evidence_recall: float | None
    """The share of the question's gold evidence pages among the sources the run used."""
    sources: list[str]
    """The titles of the sources the run used."""


class Row(TypedDict):
    """One question: the team's attempt and the baseline's."""

    id: str
    question: str
    gold: list[str]
    evidence: list[str]
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
    item: Question,
    usage: dict[str, RoleUsage],
    seconds: float,
    error: str = "",
    sources: Sequence[str] = (),
) -> Attempt:
    calls, tokens_in, tokens_out = _totals(usage)
    costs = [u.get("cost_usd") for u in usage.values()]
    price = None if not costs or None in costs else round(sum(c or 0.0 for c in costs), 6)
    return Attempt(
        answer=answer,
        scores=score(answer, item["gold"]),
        calls=calls,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        seconds=round(seconds, 3),
        cost_usd=price,
        error=error,
        evidence_recall=evidence_recall(sources, item.get("evidence") or []),
        sources=list(sources),
    )


def used_titles(state: Mapping[str, Any], cited: Sequence[Mapping[str, Any]]) -> list[str]:
    """The titles of every source a run's final state holds, and of the ones it cited."""
    found = [*(state.get("sources") or []), *cited]
    return list(dict.fromkeys(str(s.get("title") or "") for s in found if s.get("title")))


def baseline_answer(model: BaseChatModel, item: Question, label: str) -> Attempt:
    """One model call, no tools, no team (so no source is used)."""
    ledger = Ledger()
    caller = RoleCaller("baseline", model, label, ledger)
    started = time.perf_counter()
    try:
        reply = caller.invoke([SystemMessage(BASELINE_SYSTEM), HumanMessage(item["question"])])
    except TeamgraphError as error:
        return _attempt("", item, ledger.usage(), time.perf_counter() - started, str(error))
    return _attempt(reply_text(reply), item, ledger.usage(), time.perf_counter() - started)


class RoleWatcher(BaseCallbackHandler):
    """Tells ``on_role`` which role is calling its model (``research/executor``), as it starts."""

    def __init__(self, on_role: Callable[[str], None]) -> None:
        """Report each model call's role to ``on_role``."""
        self.on_role = on_role

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """A role's model call starts."""
        role = (metadata or {}).get("teamgraph_role")
        team = (metadata or {}).get("teamgraph_team")
        if role:
            self.on_role(f"{team}/{role}" if team else str(role))


def team_answer(
    spec: TeamSpec, graph: Any, item: Question, on_role: Callable[[str], None] | None = None
) -> Attempt:
    """The team's answer, what it spent, and the sources it used.

    ``on_role`` hears which role is at work.
    """
    started = time.perf_counter()
    config = RunnableConfig(callbacks=[RoleWatcher(on_role)]) if on_role else None
    try:
        request = spec.make_input(item["question"], "")
        state = graph.invoke(request, config) if config else graph.invoke(request)
    except TeamgraphError as error:
        return _attempt("", item, {}, time.perf_counter() - started, str(error))
    result = spec.read_result(state)
    usage = state.get("usage") or {}
    sources = used_titles(state, list(result["citations"]))
    return _attempt(result["text"], item, usage, time.perf_counter() - started, "", sources)


def answer_both(
    item: Question,
    spec: TeamSpec,
    graph: Any,
    model: BaseChatModel,
    label: str,
    on_role: Callable[[str], None] | None = None,
) -> Row:
    """One question, answered by the team and then by the baseline."""
    team = team_answer(spec, graph, item, on_role)
    if on_role:
        on_role(SINGLE_CALL)
    return Row(
        id=item["id"],
        question=item["question"],
        gold=item["gold"],
        evidence=item.get("evidence") or [],
        team=team,
        baseline=baseline_answer(model, item, label),
    )


def evaluate(
    questions: Sequence[Question],
    spec: TeamSpec,
    graph: Any,
    model: BaseChatModel,
    label: str,
    on_row: Callable[[Row], None] | None = None,
    on_role: Callable[[str], None] | None = None,
    concurrency: int = 1,
    on_start: Callable[[Question], None] | None = None,
) -> list[Row]:
    """Answer every question with the team and with the baseline, ``concurrency`` at once.

    The rows come back in the questions' order; ``on_start`` hears each question as it
    starts and ``on_row`` gets each as it is answered; ``on_role`` hears who is at work, a
    role of the team (``research/executor``) or ``single call``.
    """

    def answer(item: Question) -> Row:
        if on_start:
            on_start(item)
        return answer_both(item, spec, graph, model, label, on_role)

    return run_all(questions, answer, concurrency, on_row)
