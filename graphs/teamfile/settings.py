"""A team file's settings: the same for every team file, plus a model setting per role."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

from graphs.common.settings import RunSettings, model_setting
from graphs.teamfile.schema import DEFAULT_MAX_ROUNDS
from tools.tool_runner_defaults import DEFAULT_OBSERVATION_CHARS, DEFAULT_TOOL_TIMEOUT_S

DEFAULT_MAX_STEPS = 4


@dataclass(kw_only=True)
class TeamFileSettings(RunSettings):
    """Settings of one run of a team made from a team file."""

    max_rounds: int = field(
        default=DEFAULT_MAX_ROUNDS,
        metadata={
            "description": "Most turns of a supervisor's roles, or rewrites in a reflection."
        },
    )
    max_steps: int = field(
        default=DEFAULT_MAX_STEPS,
        metadata={"description": "Most tool rounds of a role with tools before it answers."},
    )
    tool_timeout_s: float = field(
        default=DEFAULT_TOOL_TIMEOUT_S,
        metadata={
            "description": "A tool call that takes longer is stopped (an observation says so)."
        },
    )
    max_observation_chars: int = field(
        default=DEFAULT_OBSERVATION_CHARS,
        metadata={"description": "Observations are cut to this many characters."},
    )

    def __post_init__(self) -> None:
        """Refuse caps below one."""
        super().__post_init__()
        if min(self.max_rounds, self.max_steps) < 1:
            raise ValueError("max_rounds and max_steps must be 1 or more.")
        if self.tool_timeout_s <= 0:
            raise ValueError("tool_timeout_s must be more than 0.")


@functools.cache
def settings_class(team: str, roles: tuple[str, ...]) -> type[TeamFileSettings]:
    """The settings of team ``team``: :class:`TeamFileSettings` and ``<role>_model`` per role."""
    made = dataclasses.make_dataclass(
        "TeamFileSettings",
        [(f"{role}_model", str, model_setting(role)) for role in roles],
        bases=(TeamFileSettings,),
        kw_only=True,
    )
    made.__doc__ = f"Settings of one run of the {team} team."
    made.__module__ = __name__
    return made
