"""Every team teamgraph knows, read by the CLI, the thread service, Studio and the team of teams.

A new team is a package under ``graphs/`` with a ``SPEC``, listed here once; a team made at
run time is registered by adding its spec to :data:`TEAMS`.
"""

from __future__ import annotations

from typing import Any

from graphs import compose, react, research, support, team, writer
from graphs.common.spec import TeamSpec

TEAMS: dict[str, TeamSpec] = {
    spec.name: spec
    for spec in (writer.SPEC, research.SPEC, react.SPEC, team.SPEC, support.SPEC, compose.SPEC)
}


def team_spec(name: str) -> TeamSpec:
    """The spec of team ``name`` (KeyError if there is none)."""
    return TEAMS[name]


def langgraph_config() -> dict[str, Any]:
    """What ``langgraph.json`` must say for Studio to serve every team.

    ``env`` loads the project's ``.env`` (API keys, ``TEAMGRAPH_*``); a missing file is
    skipped by ``langgraph dev``.
    """
    return {
        "$schema": "https://langgra.ph/schema.json",
        "dependencies": ["."],
        "graphs": {name: spec.graph_path for name, spec in TEAMS.items()},
        "env": ".env",
    }
