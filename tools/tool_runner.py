"""Run a model's tool calls: at once, each within a time limit, errors as observations.

Any LangChain tool works: sync or async-only (awaited on the background loop), with our
sources, LangChain Documents or anything else as its artifact. The calls of one step run
concurrently (up to ``MAX_PARALLEL_CALLS`` at a time); observations come back in the
order of the calls, and new sources are numbered in that order, so a run is repeatable.
A call that fails, hangs past ``timeout_s`` or needs the network while
``TEAMGRAPH_OFFLINE=1`` becomes an observation saying so; the run goes on.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config
from langchain_core.tools import BaseTool, StructuredTool, Tool

from tools.background_loop import BACKGROUND
from tools.citations import number_sources
from tools.kernel.offline import OFFLINE_ENV, is_offline
from tools.sources import Source
from tools.tool_addressing import needs_network
from tools.tool_results import ToolResult, read_result
from tools.tool_runner_defaults import DEFAULT_OBSERVATION_CHARS, DEFAULT_TOOL_TIMEOUT_S

MAX_PARALLEL_CALLS = 8


def cut(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, saying how much was left out."""
    if len(text) <= max_chars:
        return text
    return text[:max_chars].rstrip() + f"\n[... {len(text) - max_chars} more characters cut]"


def _observation(content: str, sources: Sequence[Source], numbers: Sequence[int]) -> str:
    if not sources:
        return content
    header = content.split("\n", 1)[0] if content.startswith("[") else ""
    blocks = []
    for number, source in zip(numbers, sources, strict=True):
        where = source.get("url") or ", ".join(
            part for part in (source.get("location"), source.get("chunk_id")) if part
        )
        label = f"{source['title']} ({where})" if where else source["title"]
        blocks.append(f"[{number}] {label}:\n{source.get('snippet', '')}")
    return "\n\n".join([header, *blocks] if header else blocks)


def is_async_only(tool: BaseTool) -> bool:
    """Whether ``tool`` can only be awaited (a coroutine and no function, like MCP tools)."""
    if isinstance(tool, StructuredTool | Tool):
        return tool.func is None and tool.coroutine is not None
    return False


def _in_daemon_thread(work: Callable[[], Any]) -> concurrent.futures.Future[Any]:
    """Run ``work`` in its own daemon thread (a hung call never blocks the process's exit)."""
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()

    def target() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=target, name="teamgraph-tool", daemon=True).start()
    return future


def _invoke_sync_or_await(tool: BaseTool, call: dict[str, Any], config: RunnableConfig) -> Any:
    try:
        return tool.invoke(call, config)
    except NotImplementedError:
        if type(tool)._arun is BaseTool._arun:
            raise
        return BACKGROUND.run(tool.ainvoke(call, config))


def _start(
    tool: BaseTool, call: ToolCall, config: RunnableConfig
) -> concurrent.futures.Future[Any]:
    payload = {**call, "type": "tool_call"}
    if is_async_only(tool):
        return BACKGROUND.submit(tool.ainvoke(payload, config))
    return _in_daemon_thread(lambda: _invoke_sync_or_await(tool, payload, config))


def _failure(name: str, error: BaseException) -> ToolResult:
    return ToolResult(f"error: {name} failed ({type(error).__name__}: {error})", error=True)


def _collect(
    future: concurrent.futures.Future[Any], tool: BaseTool, call: ToolCall, timeout_s: float
) -> ToolResult:
    if not future.done():
        future.cancel()
        return ToolResult(
            f"error: {tool.name} gave no answer within {timeout_s:g}s and was stopped; "
            "try another tool or answer from what you have.",
            error=True,
        )
    try:
        return read_result(future.result(), tool, call)
    except Exception as error:
        return _failure(tool.name, error)


def _run_wave(
    calls: Sequence[ToolCall], by_name: dict[str, BaseTool], timeout_s: float
) -> list[ToolResult]:
    """Start every call of the wave at once, wait up to ``timeout_s``, read them in order."""
    config = ensure_config()
    started: list[tuple[ToolCall, BaseTool, concurrent.futures.Future[Any]] | ToolResult] = []
    for call in calls:
        tool = by_name.get(call["name"])
        if tool is None:
            available = ", ".join(by_name) or "none"
            started.append(
                ToolResult(
                    f"error: there is no tool named {call['name']!r}; available tools: {available}",
                    error=True,
                )
            )
        elif needs_network(tool) and is_offline():
            started.append(
                ToolResult(
                    f"unavailable: {tool.name} needs the network and {OFFLINE_ENV}=1 is set; "
                    "use another tool or answer from what you have.",
                    error=True,
                )
            )
        else:
            started.append((call, tool, _start(tool, call, config)))
    futures = [item[2] for item in started if isinstance(item, tuple)]
    concurrent.futures.wait(futures, timeout=timeout_s)
    return [
        item if isinstance(item, ToolResult) else _collect(item[2], item[1], item[0], timeout_s)
        for item in started
    ]


def run_tool_calls(
    calls: Sequence[ToolCall],
    tools: Sequence[BaseTool],
    known: Sequence[Source],
    max_chars: int = DEFAULT_OBSERVATION_CHARS,
    *,
    timeout_s: float = DEFAULT_TOOL_TIMEOUT_S,
) -> tuple[list[ToolMessage], list[Source]]:
    """Execute ``calls``; returns one ToolMessage per call (in order) and the new sources."""
    by_name = {t.name: t for t in tools}
    results: list[ToolResult] = []
    for first in range(0, len(calls), MAX_PARALLEL_CALLS):
        results.extend(_run_wave(calls[first : first + MAX_PARALLEL_CALLS], by_name, timeout_s))
    messages: list[ToolMessage] = []
    new_sources: list[Source] = []
    for call, result in zip(calls, results, strict=True):
        call_id = call.get("id") or call["name"]
        if result.error:
            message = ToolMessage(
                cut(result.text, max_chars), tool_call_id=call_id, name=call["name"], status="error"
            )
        else:
            numbers, new = number_sources([*known, *new_sources], result.sources)
            new_sources.extend(new)
            observation = cut(_observation(result.text, result.sources, numbers), max_chars)
            message = ToolMessage(
                observation, tool_call_id=call_id, name=call["name"], artifact=result.sources
            )
        messages.append(message)
    return messages, new_sources
