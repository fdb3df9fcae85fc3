"""The team of teams as Studio serves it (``langgraph.json``), with the env/default models.

The factory is in a module of its own because the team's members come from the registry,
which lists this team too: here both are imported before the graph is built.
"""

from __future__ import annotations

from graphs.common.server_factory import served_factory
from graphs.team.builder import studio_graph

make_graph = served_factory(studio_graph)
"""The team with the env/default models (built once, when Studio first asks for it)."""
