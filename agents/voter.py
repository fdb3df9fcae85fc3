"""Voting ("More Agents Is All You Need"): each voter gives a short answer; the majority wins.

A voter answers in the wire format ``{"answer": str, "reason": str}``; answers are
compared once normalised (case, punctuation, articles, citation markers and spacing do
not count). A voter whose answer cannot be read abstains. A tie goes to the aggregator,
who picks one of the tied answers by number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal, cast

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide


class Vote(BaseModel):
    """A voter's wire format: its answer in a few words, and why."""

    answer: str = Field(max_length=200, description="Your answer, in as few words as possible.")
    reason: str = Field(max_length=300, description="Why, in one sentence.")


ABSTAIN = Vote(answer="", reason="No usable answer was returned.")
"""A voter whose answer cannot be read abstains (its vote is not counted)."""

VOTE_SYSTEM = "{persona}\n\nAnswer the request in as few words as possible, and say why."
VOTE_REQUEST = "Request: {request}"


def cast_vote(caller: RoleCaller, persona: str, request: str) -> Decision[Vote]:
    """Ask one voter for its answer to ``request``."""
    messages = [
        SystemMessage(VOTE_SYSTEM.format(persona=persona)),
        HumanMessage(VOTE_REQUEST.format(request=request)),
    ]
    return decide(caller, messages, Vote, fallback=ABSTAIN)


ARTICLES = re.compile(r"\b(?:the|a|an)\b")
MARKERS = re.compile(r"\[\d{1,3}\]")


def normalise(answer: str) -> str:
    """``answer`` as votes compare it: lower case; no articles, markers or punctuation."""
    text = MARKERS.sub(" ", answer.casefold())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(ARTICLES.sub(" ", text).split())


def leaders(answers: Sequence[str]) -> list[str]:
    """The normalised answers with the most votes, in the order first given (empty abstains)."""
    counts = Counter(normal for normal in (normalise(a) for a in answers) if normal)
    if not counts:
        return []
    most = max(counts.values())
    return [normal for normal in counts if counts[normal] == most]


class TieBreak(BaseModel):
    """The aggregator's choice among tied answers, by number."""

    reason: str = Field(max_length=300, description="Why, in one sentence.")
    choice: int = Field(description="The number of the answer chosen.")


TIE_SYSTEM = (
    "{persona}\n\nThe team's votes are tied. Choose the answer that best answers the request."
)
TIE_REQUEST = "Request: {request}\n\nTied answers:\n{answers}"
TIE_FALLBACK_REASON = "No usable choice was returned: the first tied answer is kept."


def break_tie(
    caller: RoleCaller, persona: str, request: str, tied: Sequence[str]
) -> Decision[TieBreak]:
    """Ask the aggregator to choose one of ``tied``; the fallback keeps the first."""
    numbers: Any = cast(Any, Literal).__getitem__(tuple(range(1, len(tied) + 1)))
    schema = create_model(
        "TieBreak",
        __base__=TieBreak,
        choice=(numbers, Field(description="The number of the answer chosen.")),
    )
    listed = "\n".join(f"{n}. {answer}" for n, answer in enumerate(tied, start=1))
    messages = [
        SystemMessage(TIE_SYSTEM.format(persona=persona)),
        HumanMessage(TIE_REQUEST.format(request=request, answers=listed)),
    ]
    fallback = schema(reason=TIE_FALLBACK_REASON, choice=1)
    return decide(caller, messages, schema, fallback=fallback)
