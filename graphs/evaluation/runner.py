"""Run a team and a single-call baseline with the same model on the same questions."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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
from graphs.evaluation.datasets import Question
from graphs.evaluation.scoring import Scores, score
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
    error: str = "",
) -> Attempt:
    calls, tokens_in, tokens_out = _totals(usage)
    costs = [u.get("cost_usd") for u in usage.values()]
    price = None if not costs or None in costs else round(sum(c or 0.0 for c in costs), 6)
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
    ledger = Ledger()
    caller = RoleCaller("baseline", model, label, ledger)
    started = time.perf_counter()
    try:
        reply = caller.invoke([SystemMessage(BASELINE_SYSTEM), HumanMessage(question)])
    except TeamgraphError as error:
        return _attempt("", gold, ledger.usage(), time.perf_counter() - started, str(error))
    return _attempt(reply_text(reply), gold, ledger.usage(), time.perf_counter() - started)


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
    spec: TeamSpec,
    graph: Any,
    question: str,
    gold: Sequence[str],
    on_role: Callable[[str], None] | None = None,
) -> Attempt:
    """The team's answer and what it spent (``on_role`` hears which role is at work)."""
    started = time.perf_counter()
    config = RunnableConfig(callbacks=[RoleWatcher(on_role)]) if on_role else None
    try:
        state = graph.invoke(spec.make_input(question, ""), config)
    except TeamgraphError as error:
        return _attempt("", gold, {}, time.perf_counter() - started, str(error))
    answer = spec.read_result(state)["text"]
    return _attempt(answer, gold, state.get("usage") or {}, time.perf_counter() - started)


def evaluate(
    questions: Sequence[Question],
    spec: TeamSpec,
    graph: Any,
    model: BaseChatModel,
    label: str,
    on_row: Callable[[Row], None] | None = None,
    on_role: Callable[[str], None] | None = None,
) -> list[Row]:
    """Answer every question with the team and with the baseline.

    ``on_row`` gets each answered question; ``on_role`` hears who is at work, a role of
    the team (``research/executor``) or ``single call``.
    """
    rows: list[Row] = []
    for item in questions:
        team = team_answer(spec, graph, item["question"], item["gold"], on_role)
        if on_role:
            on_role(SINGLE_CALL)
        row = Row(
            id=item["id"],
            question=item["question"],
            gold=item["gold"],
            team=team,
            baseline=baseline_answer(model, item["question"], item["gold"], label),
        )
        rows.append(row)
        if on_row:
            on_row(row)
    return rows
