"""The teams the Manager of the team of teams may route to."""

from __future__ import annotations

from graphs import react, research, writer
from graphs.common.spec import TeamSpec

MEMBERS: tuple[TeamSpec, ...] = (research.SPEC, writer.SPEC, react.SPEC)
"""The teams the Manager can route to (``agents.supervisor`` describes them to it)."""


def members() -> dict[str, TeamSpec]:
    """The teams the Manager may route to, by name (each runs in the node of that name)."""
    return {spec.name: spec for spec in MEMBERS}
