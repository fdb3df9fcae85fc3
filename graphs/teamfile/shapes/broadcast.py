"""Broadcast: every role (each of its samples) gets the request at the same time.

Then a vote over their normalised answers (ties go to the aggregator), or the aggregator merges
them into one answer (Mixture-of-Agents).

Roles work in parallel branches, so what they write goes to keys that add up (outputs,
votes, run limits met); the aggregating node reads them once every branch is done.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from agents.team_role import Part, do_part
from agents.voter import break_tie, cast_vote, leaders, normalise
from graphs.common.stops import BudgetStop, stop_at_limits
from graphs.common.wiring import bound
from graphs.teamfile.roles import RolePlay, take_turn, work_in_one_list
from graphs.teamfile.rules import FINISH, OPEN, VOTE
from graphs.teamfile.settings import TeamFileSettings
from graphs.teamfile.state import RESULT, RoleOutput, TeamFileState, VoteRecord
from graphs.teamfile.tool_agent import TeamFileCrew
from tools.citations import finish_answer
from tools.kernel.errors import BudgetExceeded

Builder = StateGraph[Any, Any, Any, Any]
MERGE_INSTRUCTION = "Write one answer to the request from these answers."


def fan_out(state: TeamFileState, *, samples: Sequence[tuple[str, int]]) -> list[Send]:
    """One branch per role, or per sample of a role that answers several times."""
    branch = {"request": state["request"], "run": state["run"], "usage": state.get("usage") or {}}
    return [
        Send(role, {**branch, "sample": sample})
        for role, count in samples
        for sample in ([0] if count == 1 else range(1, count + 1))
    ]


def _stopped(limit: BudgetExceeded) -> dict[str, Any]:
    return {"stops": [BudgetStop(limit=limit.limit, message=str(limit))]}


def vote(
    state: TeamFileState, runtime: Runtime[TeamFileSettings], *, crew: TeamFileCrew, play: RolePlay
) -> dict[str, Any]:
    """One voter's answer, in a few words."""
    shift = crew.shift(state, runtime)
    sample = state.get("sample", 0)
    try:
        decision = cast_vote(
            shift.caller(play.name, f"sample {sample}" if sample else ""),
            play.persona,
            state["request"],
        )
    except BudgetExceeded as limit:
        return {**_stopped(limit), **shift.spent()}
    given = decision.value
    record = VoteRecord(
        role=play.name,
        sample=sample,
        answer=given.answer,
        normalised=normalise(given.answer),
        reason=given.reason,
        fallback=decision.fallback_used,
    )
    output = RoleOutput(
        role=play.name, text=given.answer, citations=[], sample=sample, stop_reason=None
    )
    return {
        "votes": [record],
        "outputs": [output],
        "fallbacks": decision.notes(play.name),
        **shift.spent(),
    }


def answer(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    config: RunnableConfig,
    *,
    crew: TeamFileCrew,
    play: RolePlay,
) -> dict[str, Any]:
    """One role's answer to the request, for the aggregator to merge."""
    shift = crew.shift(state, runtime)
    sample = state.get("sample", 0)
    try:
        done = take_turn(play, Part(state["request"]), [], shift, config, dict(state), sample)
    except BudgetExceeded as limit:
        return {**_stopped(limit), **shift.spent()}
    update: dict[str, Any] = {
        "outputs": [done.output],
        "fallbacks": done.fallbacks,
        "team_models": done.models,
        **shift.spent(),
    }
    return {**update, **({"stops": [done.stop]} if done.stop else {})}


def in_file_order(items: Sequence[Any], order: Sequence[str]) -> list[Any]:
    """``items`` (outputs or votes) in the file's order of roles, then by sample."""
    return sorted(items, key=lambda item: (order.index(item["role"]), item["sample"]))


def aggregate(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    *,
    crew: TeamFileCrew,
    aggregator: RolePlay | None,
    merging: bool,
    order: Sequence[str],
) -> dict[str, Any]:
    """The vote's winner, or the aggregator's merged answer (none once a limit stopped a role)."""
    stops = state.get("stops") or []
    if stops:
        return {"budget_stop": stops[0], "stop_reason": stops[0]["limit"]}
    if merging:
        assert aggregator is not None
        return _merge(state, runtime, crew, aggregator, order)
    return _count(state, runtime, crew, aggregator, order)


def _merge(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    crew: TeamFileCrew,
    aggregator: RolePlay,
    order: Sequence[str],
) -> dict[str, Any]:
    shift = crew.shift(state, runtime)
    material, sources = work_in_one_list(in_file_order(state.get("outputs") or [], order))
    part = Part(state["request"], material, instruction=MERGE_INSTRUCTION)
    cited = finish_answer(do_part(shift.caller(aggregator.name), aggregator.persona, part), sources)
    merged = RoleOutput(
        role=aggregator.name, text=cited.text, citations=cited.citations, sample=0, stop_reason=None
    )
    return {"outputs": [merged], "answer": merged, "stop_reason": "merged", **shift.spent()}


def _count(
    state: TeamFileState,
    runtime: Runtime[TeamFileSettings],
    crew: TeamFileCrew,
    aggregator: RolePlay | None,
    order: Sequence[str],
) -> dict[str, Any]:
    votes: list[VoteRecord] = in_file_order(state.get("votes") or [], order)
    top = leaders([record["answer"] for record in votes])
    if not top:
        return {"answer": None, "stop_reason": "no_votes"}
    update: dict[str, Any] = {"stop_reason": "majority" if len(top) == 1 else "tie"}
    winner = top[0]
    if len(top) > 1 and aggregator is not None:
        shift = crew.shift(state, runtime)
        tied = [next(v["answer"] for v in votes if v["normalised"] == normal) for normal in top]
        decision = break_tie(
            shift.caller(aggregator.name), aggregator.persona, state["request"], tied
        )
        winner = top[int(decision.value.choice) - 1]
        update.update(fallbacks=decision.notes(aggregator.name), **shift.spent())
    chosen = next(v for v in votes if v["normalised"] == winner)
    update["answer"] = RoleOutput(
        role=chosen["role"],
        text=chosen["answer"],
        citations=[],
        sample=chosen["sample"],
        stop_reason=None,
    )
    return update


def wire(
    builder: Builder,
    plays: Sequence[RolePlay],
    crew: TeamFileCrew,
    *,
    samples: Sequence[tuple[str, int]],
    aggregator: RolePlay | None,
    merging: bool,
) -> None:
    """Start -> every role at once -> the aggregating node -> finish."""
    node = VOTE if aggregator is None else aggregator.name
    names = [play.name for play in plays]
    branches = functools.update_wrapper(functools.partial(fan_out, samples=samples), fan_out)
    builder.add_conditional_edges(OPEN, branches, names)
    for play in plays:
        work = bound(answer, crew, play=play) if merging else bound(vote, crew, play=play)
        builder.add_node(play.name, work)
        builder.add_edge(play.name, node)
    combine = bound(aggregate, crew, aggregator=aggregator, merging=merging, order=names)
    builder.add_node(node, stop_at_limits(RESULT, combine))
    builder.add_edge(node, FINISH)
