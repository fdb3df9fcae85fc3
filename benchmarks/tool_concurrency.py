"""Tool calls of one step: at once vs one after another.

Three tools that each take 0.5 s are called in one step, as sync tools, as async-only
tools (awaited on the background loop, like MCP tools) and through a ReAct team's tools
node (a tool-calling model asking for all three at once). The same calls run one after
another (at most one call at a time) for the ratio. A step should take about 0.5 s.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.tools import BaseTool, StructuredTool

from benchmarks.report import figure, heading
from graphs.react import build_graph
from tests.unit_tests.test_react_graph import NativeToolModel
from tools import tool_runner

TOOL_S = 0.5
NAMES = ("alpha", "beta", "gamma")


def _sync_tool(name: str) -> BaseTool:
    def work(query: str) -> str:
        time.sleep(TOOL_S)
        return f"{name}: {query}"

    return StructuredTool.from_function(work, name=name, description="Takes half a second.")


def _async_tool(name: str) -> BaseTool:
    async def work(query: str) -> str:
        await asyncio.sleep(TOOL_S)
        return f"{name}: {query}"

    return StructuredTool.from_function(
        coroutine=work, name=name, description="Takes half a second."
    )


def _calls() -> list[Any]:
    return [{"name": name, "args": {"query": "q"}, "id": f"c{n}"} for n, name in enumerate(NAMES)]


def _timed(step: Callable[[], Any]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _runner_step(tools: list[BaseTool]) -> Callable[[], Any]:
    return lambda: tool_runner.run_tool_calls(_calls(), tools, [])


def _graph_step(tools: list[BaseTool]) -> Callable[[], Any]:
    def step() -> Any:
        model = NativeToolModel(script=[AIMessage(content="", tool_calls=_calls()), "Done."])
        graph = build_graph({"agent": model}, tools=tools, tool_mode="native", first_step="model")
        return graph.invoke({"question": "Ask all three."})

    return step


def _at_once_and_in_turn(step: Callable[[], Any]) -> tuple[float, float]:
    step()
    at_once = _timed(step)
    parallel = tool_runner.MAX_PARALLEL_CALLS
    tool_runner.MAX_PARALLEL_CALLS = 1
    try:
        in_turn = _timed(step)
    finally:
        tool_runner.MAX_PARALLEL_CALLS = parallel
    return at_once, in_turn


def run() -> None:
    """Print each step's wall time at once and one after another, and the speed-up."""
    heading(f"tool calls of one step: three tools of {TOOL_S} s each")
    cases = {
        "sync tools": _runner_step([_sync_tool(n) for n in NAMES]),
        "async-only tools": _runner_step([_async_tool(n) for n in NAMES]),
        "ReAct tools node": _graph_step([_sync_tool(n) for n in NAMES]),
    }
    for label, step in cases.items():
        at_once, in_turn = _at_once_and_in_turn(step)
        figure(f"{label}: at once", at_once, "s", "<= 0.75", at_once <= 0.75)
        figure(f"{label}: one after another", in_turn, "s", "~1.5", in_turn >= 1.4)
        figure(f"{label}: speed-up", in_turn / at_once, "x", ">= 2.5", in_turn / at_once >= 2.5)
