"""Teams written in a file (YAML): roles, models, tools and a shape, compiled to a graph.

from graphs.teamfile import load_team

graph = load_team("examples/teams/launch-brief.yaml")
state = graph.invoke({"request": "A brief on a solar-powered kettle"})
print(state["final"])
"""

from graphs.teamfile.reading import LoadedTeam, load_team_file
from graphs.teamfile.spec import load_team, recorded_team, team_file_spec

__all__ = ["LoadedTeam", "load_team", "load_team_file", "recorded_team", "team_file_spec"]
