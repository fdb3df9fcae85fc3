"""The Manager of a team of teams: which teams a request needs, and in what order."""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide

TeamName = Literal["research", "writer", "react"]


class TeamRoute(BaseModel):
    """The Manager's routing decision: the teams to run, in order."""

    reason: str = Field(max_length=300, description="Why these teams, in one sentence.")
    teams: list[TeamName] = Field(
        min_length=1,
        max_length=3,
        description="Teams to run in order; each gets the last one's result.",
    )


ROUTE_SYSTEM = (
    "You are the Manager of a team of teams. Choose which teams a request needs, in order: "
    "'research' finds facts and answers with citations; 'writer' writes a piece (report, "
    "essay, post) and can build on research; 'react' answers quick questions with one or "
    "two tool calls (a calculation, a lookup). Chain teams when one needs another's result, "
    "e.g. research then writer for a report about facts."
)
ROUTE_REQUEST = "Request: {request}"

FALLBACK = TeamRoute(reason="No usable routing decision was returned.", teams=["research"])
"""Used when the decision cannot be read: research answers the request with citations."""


def route_request(caller: RoleCaller, request: str) -> Decision[TeamRoute]:
    """Ask the Manager which teams should handle ``request``."""
    messages = [SystemMessage(ROUTE_SYSTEM), HumanMessage(ROUTE_REQUEST.format(request=request))]
    return decide(caller, messages, TeamRoute, fallback=FALLBACK)
