"""A team run inside another team's node, and the hand-off between them.

The inner team is a compiled graph invoked with the node's config, so it shares the
outer checkpointer (its checkpoints live in the outer thread, and a resumed run goes
on inside it) and streams with ``subgraphs=True``; its model calls are charged to a
child of the outer run's ledger. A hand-off carries only what the next one needs: the
text and its numbered sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from agents.llm.structured import FallbackNote
from graphs.common.run import RunRecord, inside
from graphs.common.spec import TeamResult, TeamSpec
from graphs.common.stops import BudgetStop
from tools.citations import Citation, CitedAnswer, finish_answer, format_citations, in_list_order


@dataclass(frozen=True)
class Member:
    """A team that works inside another: its compiled graph and what it is."""

    spec: TeamSpec
    graph: CompiledStateGraph[Any, Any, Any, Any]

    def default_context(self, approve: bool = False) -> Any:
        """The member's own settings (its build defaults), so it never reads the caller's.

        ``approve`` turns on the member's approval stop (the setting its spec names).
        """
        schema = self.graph.context_schema
        if not isinstance(schema, type):
            return None
        context = schema()
        stop = self.spec.approval
        return replace(context, **{stop: True}) if approve and stop else context


@dataclass(frozen=True)
class MemberWork:
    """What a member team handed back, and what the outer team records of its run."""

    result: TeamResult
    models: dict[str, str]
    """``node/role`` -> the model each of its roles used."""
    fallbacks: list[FallbackNote]
    """Its fallbacks, each role named ``node/role``."""
    budget_stop: BudgetStop | None
    """The run limit that stopped it, if one did."""


def run_member(
    member: Member,
    node: str,
    work: tuple[str, str],
    config: RunnableConfig,
    run: RunRecord,
    context: Any = None,
) -> MemberWork:
    """``member`` does ``work`` (request, material) inside ``run``, in the node named ``node``.

    ``context``: the member's settings for this run (default: its own defaults).
    """
    request, material = work
    result = member.graph.invoke(
        member.spec.make_input(request, material),
        inside(config, run, node),
        context=context if context is not None else member.default_context(),
    )
    models = {f"{node}/{role}": label for role, label in (result.get("models") or {}).items()}
    notes = [
        FallbackNote(role=f"{node}/{note['role']}", decision=note["decision"], error=note["error"])
        for note in result.get("fallbacks") or []
    ]
    return MemberWork(member.spec.read_result(result), models, notes, result.get("budget_stop"))


def handoff(text: str, citations: Sequence[Mapping[str, Any]]) -> str:
    """The material the next one gets: ``text`` and its numbered sources."""
    if not citations:
        return text
    return f"{text}\n\nSources:\n{format_citations(citations)}"


def cite_work(text: str, own: Sequence[Citation], handed: Sequence[Citation]) -> CitedAnswer:
    """``text`` with its sources numbered 1..k: its ``own``, else the ones ``handed`` to it."""
    if own:
        text, sources = in_list_order(text, own)
        return finish_answer(text, sources)
    return finish_answer(text, handed)
