"""The team of teams as Studio serves it (``langgraph.json``), with the env/default models.

The factory is in a module of its own because the team's members come from the registry,
which lists this team too: here both are imported before the graph is built.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig

from graphs.common.server_factory import built_for_server
from graphs.team.builder import studio_graph


def make_graph(config: RunnableConfig | None = None) -> Any:
    """The team with the env/default models (built once, when Studio first asks for it).

    On a server's event loop it is built in a worker thread (see ``server_factory``).
    """
    return built_for_server(studio_graph)
