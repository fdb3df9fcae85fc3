"""What a team file may say: its keys and values, checked one by one (Pydantic).

Rules that tie keys together (a shape's roles, an aggregate's aggregator, unique names)
are in :mod:`graphs.teamfile.rules`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from agents.llm.models import check_model_form
from graphs.registry import BUILT_IN, TEAMS
from tools.kernel.errors import TeamgraphError

Shape = Literal["sequential", "broadcast", "supervisor", "reflection"]
Aggregate = Literal["vote", "merge"]
RoleKind = Literal["plain", "tools", "team", "team_file"]

ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
TEAM_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")
DEFAULT_MAX_ROUNDS = 3
MAX_ROUNDS = 20
MAX_SAMPLES = 20


def routable_teams() -> list[str]:
    """The registered teams a role may be: those that take a request and give a text."""
    return [name for name, spec in TEAMS.items() if spec.routing is not None]


def _role_name(name: str) -> str:
    if not ROLE_NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a role name: use lower-case letters, digits and _ "
            "(at most 40, starting with a letter), e.g. market_analyst"
        )
    return name


def _text(text: str) -> str:
    if not text.strip():
        raise ValueError("is empty: say in a sentence or two what this role does")
    return text.strip()


def _model(setting: str | None) -> str | None:
    if setting is None:
        return None
    try:
        check_model_form(setting)
    except TeamgraphError as error:
        raise ValueError(str(error)) from None
    return setting.strip()


RoleName = Annotated[str, AfterValidator(_role_name)]
RoleText = Annotated[str, AfterValidator(_text)]
ModelText = Annotated[str | None, AfterValidator(_model)]


class Entry(BaseModel):
    """What every role and the aggregator have: a name, and optionally a model."""

    model_config = ConfigDict(extra="forbid")

    name: RoleName
    """The role's name: its node, its usage line, ``--model NAME=...``, ``TEAMGRAPH_NAME_MODEL``."""
    model: ModelText = None
    """``provider:model`` or ``local``; else the usual precedence."""


class Aggregator(Entry):
    """Who turns the answers of a broadcast into one: by merging, or by breaking a vote's tie."""

    role: RoleText


class RoleEntry(Entry):
    """A role: its own words (``role``), or a built-in team, or another team file."""

    role: RoleText | None = None
    """What the role does, in its own words (its system prompt)."""
    team: str | None = None
    """A built-in team that plays this role."""
    team_file: str | None = None
    """Another team file that plays this role (relative to this file)."""
    tools: list[str] | None = None
    """Tools of a role with ``role`` text (a bounded ReAct agent), or of its team."""
    samples: int = Field(default=1, ge=1, le=MAX_SAMPLES)
    """In a broadcast: how many times the role answers (each a vote of its own)."""

    @field_validator("team")
    @classmethod
    def _known_team(cls, team: str | None) -> str | None:
        if team is not None and team not in routable_teams():
            raise ValueError(
                f"{team!r} is not a team a role can be: use one of {', '.join(routable_teams())}"
            )
        return team

    @field_validator("tools")
    @classmethod
    def _known_tools(cls, names: list[str] | None) -> list[str] | None:
        from tools.toolbox import check_tool_name  # the tools' code, only for a file naming one

        for name in names or []:
            try:
                check_tool_name(name)
            except TeamgraphError as error:
                raise ValueError(str(error)) from None
        return names

    @property
    def kind(self) -> RoleKind:
        """How the role works: its own words alone, with tools, as a team, or as a team file."""
        if self.team:
            return "team"
        if self.team_file:
            return "team_file"
        return "tools" if self.tools else "plain"


class TeamFile(BaseModel):
    """A whole team file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    shape: Shape
    roles: list[RoleEntry] = Field(min_length=1)
    max_rounds: int = Field(default=DEFAULT_MAX_ROUNDS, ge=1, le=MAX_ROUNDS)
    """Most turns of a supervisor's roles, or rewrites in a reflection."""
    aggregate: Aggregate | None = None
    aggregator: Aggregator | None = None

    @field_validator("name")
    @classmethod
    def _team_name(cls, name: str) -> str:
        if not TEAM_NAME.fullmatch(name):
            raise ValueError(
                f"{name!r} is not a team name: use lower-case letters, digits, - and _ "
                "(at most 40, starting with a letter), e.g. launch-brief"
            )
        if name in BUILT_IN:
            raise ValueError(
                f"{name!r} is a built-in team ({', '.join(BUILT_IN)}): give your team another name"
            )
        return name
