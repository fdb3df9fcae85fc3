"""The Manager of a team of teams: which teams a request needs, and in what order.

The teams it may choose are given with each call (name -> what the team does), so its
prompt lists them and its decision is validated against their names only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, create_model

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide

MAX_TEAMS = 3
TEAMS_DESCRIPTION = "Teams to run in order; each gets the last one's result."


class TeamRoute(BaseModel):
    """The Manager's routing decision: the teams to run, in order."""

    reason: str = Field(max_length=300, description="Why these teams, in one sentence.")
    teams: list[str] = Field(min_length=1, max_length=MAX_TEAMS, description=TEAMS_DESCRIPTION)


ROUTE_SYSTEM = (
    "You are the Manager of a team of teams. Choose which teams a request needs, in order: "
    "{teams}. Chain teams when one needs another's result."
)
ROUTE_REQUEST = "Request: {request}"
FALLBACK_REASON = "No usable routing decision was returned."


def route_schema(names: Sequence[str]) -> type[TeamRoute]:
    """:class:`TeamRoute` with ``teams`` limited to ``names``."""
    choice: Any = cast(Any, Literal).__getitem__(tuple(names))
    teams = Field(min_length=1, max_length=MAX_TEAMS, description=TEAMS_DESCRIPTION)
    return create_model("TeamRoute", __base__=TeamRoute, teams=(list[choice], teams))


def route_request(
    caller: RoleCaller, request: str, teams: Mapping[str, str], fallback: str
) -> Decision[TeamRoute]:
    """Ask the Manager which of ``teams`` (name -> what it does) should handle ``request``.

    When no decision can be read, ``fallback`` alone handles it.
    """
    listed = "; ".join(f"'{name}' {brief}" for name, brief in teams.items())
    messages = [
        SystemMessage(ROUTE_SYSTEM.format(teams=listed)),
        HumanMessage(ROUTE_REQUEST.format(request=request)),
    ]
    schema = route_schema(list(teams))
    safe = schema(reason=FALLBACK_REASON, teams=[fallback])
    return decide(caller, messages, schema, fallback=safe)
