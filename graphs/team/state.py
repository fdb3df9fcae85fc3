"""The team of teams' state: the route, each member team's output, the final result."""

from __future__ import annotations

import operator
from typing import Annotated

from typing_extensions import TypedDict

from graphs.common.state import RunFields
from tools.citations import Citation


class TeamOutput(TypedDict):
    """What one member team handed back."""

    team: str
    text: str
    citations: list[Citation]
    stop_reason: str | None


class TeamInput(TypedDict):
    """What a caller gives the team of teams."""

    request: str
    """What the user wants done."""


class TeamState(RunFields, total=False):
    """The supervisor's state: the route, each team's output and the final result."""

    request: str
    """What the user wants done."""
    route: list[str]
    """Teams to run, in order."""
    route_reason: str
    """The Manager's reason for the route."""
    position: int
    """How many teams of the route have finished."""
    outputs: Annotated[list[TeamOutput], operator.add]
    """Each finished team's output, in order."""
    final: str
    """The result for the user: the last team's text."""
    citations: list[Citation]
    """The sources the result cites, numbered 1..k as its ``[n]`` markers are."""
    citations_dropped: int
    """Markers that referred to no source (removed from the result)."""
    citations_moved: int
    """Markers moved to the source that holds their sentence (the model cited another)."""
    stop_reason: str | None
    """A run limit that ended the run early (``max_calls``, ``max_tokens_total``), or None."""
