"""Every team teamgraph knows, read by the CLI, the thread service, Studio and the team of teams.

A built-in team is a package under ``graphs/`` with a ``SPEC``, named once in
:data:`BUILT_IN`; a team made at run time joins with :func:`register`.
``python -m graphs.registry`` rewrites ``langgraph.json`` from the teams listed here.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from graphs.common.spec import TeamSpec
from tools.kernel.errors import InputError

BUILT_IN = ("writer", "research", "react", "team", "support", "compose")
"""The packages of the built-in teams, in the order they are listed."""

TEAMS: dict[str, TeamSpec] = {
    name: importlib.import_module(f"graphs.{name}").SPEC for name in BUILT_IN
}
LANGGRAPH_JSON = Path(__file__).resolve().parents[1] / "langgraph.json"


def team_spec(name: str) -> TeamSpec:
    """The spec of team ``name`` (KeyError if there is none)."""
    return TEAMS[name]


def register(spec: TeamSpec) -> TeamSpec:
    """Add a team made at run time; its name must not be taken."""
    if spec.name in TEAMS:
        raise InputError(
            f"There is already a team named {spec.name!r} ({', '.join(TEAMS)} are taken): "
            "give the new team another name."
        )
    TEAMS[spec.name] = spec
    return spec


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


def main() -> int:
    """Rewrite ``langgraph.json``; exit 1 if it had drifted from the registry (it is now fixed)."""
    fresh = json.dumps(langgraph_config(), indent=2) + "\n"
    if LANGGRAPH_JSON.read_text(encoding="utf-8") == fresh:
        return 0
    LANGGRAPH_JSON.write_text(fresh, encoding="utf-8")
    print("langgraph.json updated from the registry")
    return 1


if __name__ == "__main__":
    sys.exit(main())
