"""The team of teams' settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphs.common.settings import RunSettings, model_setting

ROLES = ("manager",)


@dataclass(kw_only=True)
class TeamSettings(RunSettings):
    """Settings of one run of the team of teams (each member team keeps its own)."""

    manager_model: str = model_setting("manager")
    approve: bool = field(
        default=False,
        metadata={
            "description": "Stop for a person at the member teams' approval stops (the "
            "research plan, the final draft)."
        },
    )
