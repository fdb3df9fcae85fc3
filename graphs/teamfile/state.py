"""The state of a team made from a team file: every role's work, decisions, votes, the result."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated, Any

from typing_extensions import TypedDict

from graphs.common.reflection import ReflectionFields
from graphs.common.state import RunFields, merged
from graphs.common.stops import BudgetStop, ResultKey
from tools.citations import Citation

STOP_WORDS: dict[str, str] = {
    "done": "every role did its part",
    "finished": "the manager said the work was done",
    "max_rounds": "the round cap was reached",
    "approved": "approved by the reviewer",
    "majority": "a majority of the answers agreed",
    "tie": "the votes were tied, so the aggregator chose (or the first answer was kept)",
    "no_votes": "no answer could be read",
    "merged": "the aggregator merged the answers",
}
"""Each stop reason of a team file in words (the run limits' words are shared)."""


class RoleOutput(TypedDict):
    """One turn of one role: its work, with the sources it cites numbered 1..k."""

    role: str
    text: str
    citations: list[Citation]
    sample: int
    """Which of a role's samples (0 when it answers once)."""
    stop_reason: str | None
    """Why a team playing the role stopped (None for a role that answers itself)."""


class Pick(TypedDict):
    """One decision of a supervisor's manager."""

    next: str
    reason: str
    instruction: str
    answer_from: str
    fallback: bool


class VoteRecord(TypedDict):
    """One voter's answer, as given and as compared."""

    role: str
    sample: int
    answer: str
    normalised: str
    reason: str
    fallback: bool


class TeamFileInput(TypedDict):
    """What a caller gives the team."""

    request: str
    """What the team should do."""


class TeamFileState(RunFields, ReflectionFields, total=False):
    """Everything a team file's nodes read and write."""

    request: str
    """What the team should do."""
    sample: int
    """In a broadcast branch: which sample of its role this branch is."""
    outputs: Annotated[list[RoleOutput], operator.add]
    """Every role's work, in the order it was done."""
    picks: Annotated[list[Pick], operator.add]
    """Every decision of a supervisor's manager, in order."""
    turns: int
    """Turns the supervisor's roles have taken."""
    votes: Annotated[list[VoteRecord], operator.add]
    """Every voter's answer (broadcast with vote)."""
    team_models: Annotated[dict[str, str], merged]
    """``role/inner role`` -> model, for the teams that play roles."""
    stops: Annotated[list[BudgetStop], operator.add]
    """Run limits met by roles working at the same time (a broadcast)."""
    answer: RoleOutput | None
    """The work that is the team's answer, once the shape has chosen it."""
    final: str
    """The result: the answer's text, every ``[n]`` a listed source."""
    citations: list[Citation]
    """The sources the result cites, numbered 1..k as its markers are."""
    citations_dropped: int
    """Markers that referred to no source (removed from the result)."""
    citations_moved: int
    """Markers moved to the source that holds their sentence (the model cited another)."""
    stop_reason: str | None
    """Which rule ended the run."""


def work_so_far(state: Mapping[str, Any]) -> str:
    """The result, else the chosen answer, else the work named or latest (:func:`named_work`)."""
    latest = state.get("answer") or named_work(state)
    return str(state.get("final") or (latest["text"] if latest else ""))


def named_work(state: Mapping[str, Any]) -> Any:
    """The latest work of the role the manager last named as the answer, else the latest.

    A supervisor's manager names, with each pick, the role whose work answers the request,
    so a run stopped before the manager finishes ends with that work, not with whichever
    role happened to work last (a critic's notes). None before any role has worked.
    """
    outputs = state.get("outputs") or []
    picks = state.get("picks") or []
    named = picks[-1].get("answer_from") if picks else None
    answered = [output for output in outputs if output["role"] == named]
    return answered[-1] if answered else (outputs[-1] if outputs else None)


RESULT = ResultKey("final", work_so_far)
"""The chosen work is the team's result."""
