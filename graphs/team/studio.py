"""The team of teams as Studio serves it (``langgraph.json``), with the env/default models.

A module of its own because the team's members come from the registry, which lists this
team too: here both are imported before the graph is built.
"""

from graphs.team.builder import studio_graph

graph = studio_graph()
