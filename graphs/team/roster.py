"""The teams the Manager of the team of teams may route to, and the settings each gets."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from graphs.common.spec import TeamSpec


def members() -> dict[str, TeamSpec]:
    """Every registered team the Manager may route to, by name, in the registry's order."""
    from graphs import registry  # the registry lists this team too, so it is read when asked

    return {name: spec for name, spec in registry.TEAMS.items() if spec.routing is not None}


def fallback_member(teams: Mapping[str, TeamSpec]) -> str:
    """The team that handles a request when the Manager's decision cannot be read."""
    marked = [name for name, spec in teams.items() if spec.routing and spec.routing.fallback]
    return (marked or list(teams))[0]


def member_settings(spec: TeamSpec, given: Mapping[str, Any], approve: bool) -> dict[str, Any]:
    """Of the settings ``given``, those ``spec``'s team has; with ``approve``, its approval stop."""
    names = {f.name for f in dataclasses.fields(spec.settings)}
    chosen = {key: value for key, value in given.items() if key in names}
    return {**chosen, spec.approval: True} if approve and spec.approval else chosen


def check_settings(given: Mapping[str, Any], own: type[Any], teams: Mapping[str, TeamSpec]) -> None:
    """Refuse a setting that neither the team of teams nor any of its members has."""
    known = {f.name for f in dataclasses.fields(own)}
    for spec in teams.values():
        known |= {f.name for f in dataclasses.fields(spec.settings)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise TypeError(
            f"Neither the team of teams nor its members ({', '.join(teams)}) have a setting "
            f"{', '.join(unknown)}."
        )
