"""Teams written in a file (YAML): roles, models, tools and a shape, compiled to a graph.

from graphs.teamfile import load_team

graph = load_team("examples/teams/launch-brief.yaml")
state = graph.invoke({"request": "A brief on a solar-powered kettle"})
print(state["final"])
"""

from graphs.common.exports import package_exports

EXPORTS = {
    "reading": ("LoadedTeam", "load_team_file"),
    "spec": ("load_team", "recorded_team", "team_file_spec"),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names]
__getattr__ = package_exports(__name__, EXPORTS)
