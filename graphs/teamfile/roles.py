"""One turn of one role: in its own words, as a ReAct agent with tools, or as a whole team.

Every turn gets a :class:`~agents.team_role.Part` (the request and what is handed over,
asked or reviewed) and the sources handed to it, and gives a :class:`Turn`: the role's
work with the sources it cites numbered 1..k, and what the team records of it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from agents.llm.structured import FallbackNote
from agents.team_role import Part, do_part
from graphs.common.crew import Shift
from graphs.common.members import Member, cite_work, handoff, run_member
from graphs.common.stops import BudgetStop
from graphs.teamfile.schema import RoleKind
from graphs.teamfile.settings import TeamFileSettings
from graphs.teamfile.state import RoleOutput
from tools.citations import Citation, finish_answer, merge_numbered, numbered_as, renumber


@dataclass(frozen=True)
class RolePlay:
    """A role as the graph runs it."""

    name: str
    kind: RoleKind
    persona: str = ""
    """The role's own words ("" for a team)."""
    brief: str = ""
    """What the role does, as a manager reads it (its words, or its team's description)."""
    agent: Any = None
    """The ReAct subgraph of a role with tools."""
    member: Callable[[], Member] | None = None
    """The team that plays the role (built when first needed)."""


@dataclass(frozen=True)
class Turn:
    """What one turn gave."""

    output: RoleOutput
    fallbacks: list[FallbackNote] = field(default_factory=list)
    models: dict[str, str] = field(default_factory=dict)
    """``role/inner role`` -> model, when a team played the role."""
    stop: BudgetStop | None = None
    """The run limit a team playing the role stopped at."""


def lazy_member(build: Callable[[], Member]) -> Callable[[], Member]:
    """``build``, called once, when the member is first needed."""
    return functools.cache(build)


def handed_text(part: Part) -> str:
    """Everything of ``part`` but the request, as material for a team."""
    return part.task().partition("\n\n")[2]


def take_turn(
    play: RolePlay,
    part: Part,
    handed: Sequence[Citation],
    shift: Shift[TeamFileSettings],
    config: RunnableConfig,
    state: dict[str, Any],
    sample: int = 0,
) -> Turn:
    """``play`` does ``part``, given the sources ``handed`` to it."""
    if play.kind == "plain":
        text = do_part(shift.caller(play.name, _task(sample)), play.persona, part)
        cited = finish_answer(text, handed)
        return Turn(_output(play.name, cited.text, cited.citations, sample))
    if play.kind == "tools":
        payload = {
            "run": state["run"],
            "usage": shift.ledger.usage(),
            "request": part.request,
            "task": part.task(),
            "sources": list(handed),
        }
        result = play.agent.invoke(payload, config, context=shift.settings)
        cited = finish_answer(result.get("answer", ""), result.get("citations") or [])
        output = _output(play.name, cited.text, cited.citations, sample)
        return Turn(output, list(result.get("fallbacks") or []))
    assert play.member is not None
    member = play.member()
    work = (part.request, handed_text(part))
    done = run_member(member, play.name, work, config, state["run"], _context(member, shift, play))
    cited = cite_work(done.result["text"], done.result["citations"], handed)
    output = _output(play.name, cited.text, cited.citations, sample, done.result["stop_reason"])
    return Turn(output, done.fallbacks, done.models, done.budget_stop)


def material_of(output: RoleOutput | None) -> tuple[str, list[Citation]]:
    """What handing ``output`` on gives: its text with its sources, and the sources."""
    if output is None:
        return "", []
    return handoff(output["text"], output["citations"]), list(output["citations"])


def label(output: RoleOutput) -> str:
    """The role's name, and its sample's number when it answered several times."""
    return f"{output['role']} {output['sample']}" if output["sample"] else output["role"]


def work_in_one_list(outputs: Sequence[RoleOutput]) -> tuple[str, list[Citation]]:
    """Each piece of work under its role's name, their sources numbered as one list."""
    merged, numbers = merge_numbered([output["citations"] for output in outputs])
    texts = [
        f"[{label(output)}]\n{renumber(output['text'], mapping)}"
        for output, mapping in zip(outputs, numbers, strict=True)
    ]
    sources = [numbered_as(source, n) for n, source in enumerate(merged, start=1)]
    return handoff("\n\n".join(texts), sources), sources


def _task(sample: int) -> str:
    return f"sample {sample}" if sample else ""


def _output(
    role: str, text: str, citations: list[Citation], sample: int, stop: str | None = None
) -> RoleOutput:
    return RoleOutput(role=role, text=text, citations=citations, sample=sample, stop_reason=stop)


def _context(member: Member, shift: Shift[TeamFileSettings], play: RolePlay) -> Any:
    """The member's settings: its own, with this run's model for the role if one is set."""
    override = str(getattr(shift.settings, f"{play.name}_model", "") or "")
    schema = member.graph.context_schema
    if not override or not isinstance(schema, type):
        return None
    return schema(**{f"{role}_model": override for role in member.spec.roles})


def turn_update(turn: Turn, shift: Shift[TeamFileSettings]) -> dict[str, Any]:
    """The state update of a turn taken alone (no other role at work at the same time)."""
    update: dict[str, Any] = {
        "outputs": [turn.output],
        "fallbacks": turn.fallbacks,
        "team_models": turn.models,
        **shift.spent(),
    }
    if turn.stop:
        update.update(budget_stop=turn.stop, stop_reason=turn.stop["limit"])
    return update
