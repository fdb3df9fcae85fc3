"""A server's factory call builds the team off its event loop; any other call builds at once."""

import asyncio
import threading

from langgraph.graph.state import CompiledStateGraph

from graphs.common.server_factory import built_for_server
from graphs.writer import builder


def test_off_a_loop_the_team_is_built_at_once():
    assert isinstance(builder.make_graph(), CompiledStateGraph)


def test_on_a_servers_loop_the_team_is_built_in_another_thread():
    built_on = []

    def build():
        built_on.append(threading.current_thread())
        return builder.default_graph()

    async def serve():
        made = built_for_server(build)
        assert asyncio.iscoroutine(made) and not built_on, "nothing is built on the loop"
        return await made

    graph = asyncio.run(serve())
    assert isinstance(graph, CompiledStateGraph)
    assert built_on and built_on[0] is not threading.main_thread()


def test_every_served_factory_hands_a_server_a_coroutine_of_its_team():
    from graphs.compose import builder as compose
    from graphs.react import builder as react
    from graphs.research import builder as research
    from graphs.support import builder as support
    from graphs.team import studio as team

    async def serve(factory):
        made = factory()
        assert asyncio.iscoroutine(made)
        return await made

    for factory in (
        builder.make_graph,
        research.make_graph,
        react.make_graph,
        support.make_graph,
        compose.make_graph,
        team.make_graph,
    ):
        assert isinstance(asyncio.run(serve(factory)), CompiledStateGraph), factory.__module__


def test_a_notebooks_running_loop_still_gets_the_graph_itself():
    from graphs.common.exports import team_exports

    async def in_a_notebook():
        return team_exports("graphs.writer", {})("graph")

    assert isinstance(asyncio.run(in_a_notebook()), CompiledStateGraph)
