"""Every team teamgraph knows, read by the CLI, the thread service, Studio and the team of teams.

A built-in team is a package under ``graphs/`` with a ``SPEC`` in its ``spec`` module
(which loads no graph code), named once in :data:`BUILT_IN`; a team made at run time
joins with :func:`register`. A thread keeps the team file its team was read from, so
:func:`thread_team` can read it again in another process. ``python -m graphs.registry``
rewrites ``langgraph.json`` from the teams listed here and the team files the project
file lists.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from graphs.common.spec import TeamSource, TeamSpec
from tools.kernel.config import project_config
from tools.kernel.errors import InputError

BUILT_IN = ("writer", "research", "react", "team", "support", "compose")
"""The packages of the built-in teams, in the order they are listed."""

TEAMS: dict[str, TeamSpec] = {
    name: importlib.import_module(f"graphs.{name}.spec").SPEC for name in BUILT_IN
}
LANGGRAPH_JSON = Path(__file__).resolve().parents[1] / "langgraph.json"


def team_spec(name: str) -> TeamSpec:
    """The spec of team ``name`` (KeyError if there is none)."""
    return TEAMS[name]


def register(spec: TeamSpec) -> TeamSpec:
    """Add a team made at run time; its name must not be taken (but by its own file's)."""
    taken = TEAMS.get(spec.name)
    same_file = taken and taken.source and spec.source and taken.source.path == spec.source.path
    if taken is not None and not same_file:
        raise InputError(
            f"There is already a team named {spec.name!r} ({', '.join(TEAMS)} are taken): "
            "give the new team another name."
        )
    TEAMS[spec.name] = spec
    return spec


def thread_team(team: str, source: TeamSource | None, thread: str) -> TeamSpec:
    """The team that ran ``thread``: registered here, or read again from its team file.

    InputError says why it cannot be had: not registered, or its file missing or changed.
    """
    spec = TEAMS.get(team)
    if spec is not None and (source is None or spec.source == source):
        return spec
    if source is None:
        raise InputError(
            f"Thread {thread!r} was run by the team {team!r}, which is not registered here "
            f"(the teams are {', '.join(TEAMS)}): register it to go on with the thread."
        )
    from graphs.teamfile import recorded_team  # team files name teams listed here

    return register(recorded_team(source, thread))


def langgraph_config() -> dict[str, Any]:
    """What ``langgraph.json`` must say for Studio to serve every team and team file.

    The team files of the project file (``[teams] files``) are served by factories in
    ``graphs/teamfile/studio.py``. ``env`` loads the project's ``.env`` (API keys,
    ``TEAMGRAPH_*``); a missing file is skipped by ``langgraph dev``.
    """
    from graphs.teamfile.studio import studio_entries  # team files name teams listed here

    graphs = {name: spec.graph_path for name, spec in TEAMS.items() if spec.source is None}
    return {
        "$schema": "https://langgra.ph/schema.json",
        "dependencies": ["."],
        "graphs": {**graphs, **studio_entries(project_config().team_files)},
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
