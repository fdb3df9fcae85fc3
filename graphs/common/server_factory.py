"""Team factories for a LangGraph server: the team is built off the server's event loop.

A server (``langgraph dev`` for Studio, Aegra) calls a team's factory for each run, on its
event loop. Building a team finds and reads files (the project file, team files, tool and
MCP settings), which would hold up every other run on that loop; ``langgraph dev``
refuses it outright, and every Studio run failed with ``BlockingError`` when the project
file was in the folder the server ran in. So a factory called on a running event loop
returns a coroutine that builds the team in a worker thread, which both servers await;
called anywhere else, it builds the team at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias, TypeVar

from langchain_core.runnables import RunnableConfig

T = TypeVar("T")
Served: TypeAlias = T | Coroutine[Any, Any, T]
"""What a factory gives: the team, or (on a server's loop) a coroutine that builds it."""


def built_for_server(build: Callable[[], T]) -> Served[T]:
    """``build()`` now, or on a running event loop a coroutine running it in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return build()
    return asyncio.to_thread(build)


def served_factory(build: Callable[[], T]) -> Callable[..., Served[T]]:
    """The ``langgraph.json`` factory of the team ``build`` makes, built per run.

    It takes the run's config (so a server calls it for each run) and builds the team as
    :func:`built_for_server` does.
    """

    def make_graph(config: RunnableConfig | None = None) -> Served[T]:
        return built_for_server(build)

    return make_graph
