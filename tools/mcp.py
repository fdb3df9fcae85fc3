"""Tools of MCP servers, through langchain-mcp-adapters, each call in a session of its own.

A server that is missing, crashes or hangs while its tools are listed is left out with
a note saying why; a call that fails or hangs becomes an observation (the runner's
timeout cancels it, which stops the server process). A server's stderr is kept apart
from the terminal; its last lines go into the message when it fails.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import IO, Any, cast
from urllib.parse import urlparse

from langchain_core.tools import BaseTool

from tools.background_loop import BACKGROUND
from tools.kernel.offline import OFFLINE_ENV, is_offline
from tools.mcp_config import McpServer
from tools.tool_addressing import mark

DEFAULT_START_TIMEOUT_S = 30.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_remote(server: McpServer) -> bool:
    """Whether reaching ``server`` leaves this machine."""
    return bool(server.url) and (urlparse(server.url).hostname or "") not in LOOPBACK


def _last_words(errlog: IO[bytes] | None) -> str:
    if errlog is None:
        return ""
    errlog.seek(0)
    lines = [line for line in errlog.read().decode(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip()[:200] if lines else ""


class ServerLink:
    """Opens a fresh session to one server for each listing or call."""

    def __init__(self, server: McpServer) -> None:
        """The link does nothing until a call is made."""
        self.server = server

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        """An initialized ``mcp.ClientSession``; errors say which server and why."""
        from mcp import ClientSession

        errlog = tempfile.TemporaryFile() if self.server.transport == "stdio" else None
        failure: BaseException | None = None
        try:
            async with (
                self._streams(errlog) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                try:
                    yield session
                except Exception as error:
                    failure = error
        except Exception as error:
            failure = failure or error
        finally:
            words = _last_words(errlog)
            if errlog is not None:
                errlog.close()
        if failure is not None:
            raise ServerError(self.server, failure, words) from failure

    @asynccontextmanager
    async def _streams(self, errlog: IO[bytes] | None) -> AsyncIterator[tuple[Any, Any]]:
        server = self.server
        if server.transport == "stdio":
            from mcp import StdioServerParameters
            from mcp.client.stdio import stdio_client

            parameters = StdioServerParameters(
                command=server.command, args=server.args, env=server.env, cwd=server.cwd
            )
            async with stdio_client(parameters, errlog=cast(Any, errlog)) as streams:
                yield streams
        elif server.transport == "sse":
            from mcp.client.sse import sse_client

            async with sse_client(server.url, server.headers) as streams:
                yield streams
        else:
            import httpx
            from mcp.client.streamable_http import streamable_http_client

            async with (
                httpx.AsyncClient(headers=server.headers) as client,
                streamable_http_client(server.url, http_client=client) as (read, write, _),
            ):
                yield read, write

    async def call_tool(self, name: str, arguments: Any, **options: Any) -> Any:
        """Call tool ``name`` in a new session (what the adapter's tools call)."""
        async with self.session() as session:
            return await session.call_tool(name, arguments, **options)

    async def list_tools(self) -> list[Any]:
        """Every tool the server offers (all pages)."""
        found: list[Any] = []
        async with self.session() as session:
            cursor = None
            while True:
                page = await session.list_tools(cursor=cursor)
                found.extend(page.tools)
                cursor = page.nextCursor
                if not cursor:
                    return found


class ServerError(Exception):
    """An MCP server failed; the message says which, how, and its last stderr line."""

    def __init__(self, server: McpServer, error: BaseException, last_words: str) -> None:
        """Describe ``error`` of ``server`` in one line."""
        while isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
        if isinstance(error, FileNotFoundError):
            what = f"its command {server.command!r} was not found"
        else:
            what = f"{type(error).__name__}: {error}".rstrip(": ")
        said = f" (its last output: {last_words!r})" if last_words else ""
        super().__init__(f"MCP server {server.name!r} failed: {what}{said}")


@dataclass
class ServerTools:
    """What loading one server gave: its tools, or why there are none."""

    server: McpServer
    tools: list[BaseTool]
    note: str = ""


def _adapt(link: ServerLink, listed: Sequence[Any]) -> list[BaseTool]:
    from langchain_mcp_adapters.tools import convert_mcp_tool_to_langchain_tool

    server = link.server
    tools = []
    for described in listed:
        tool = convert_mcp_tool_to_langchain_tool(
            cast(Any, link), described, server_name=server.name
        )
        mark(
            tool,
            origin=f"mcp {server.name}",
            network=is_remote(server),
            retrieval=server.retrieves(described.name),
        )
        tools.append(tool)
    return tools


async def _load_one(server: McpServer, timeout_s: float) -> ServerTools:
    if is_remote(server) and is_offline():
        return ServerTools(server, [], f"MCP server {server.name!r} skipped: {OFFLINE_ENV}=1.")
    link = ServerLink(server)
    try:
        listed = await asyncio.wait_for(link.list_tools(), timeout_s)
    except TimeoutError:
        note = f"MCP server {server.name!r} left out: it did not answer within {timeout_s:g}s."
        return ServerTools(server, [], note)
    except ServerError as error:
        return ServerTools(server, [], f"{error}; it is left out.")
    return ServerTools(server, _adapt(link, listed))


async def _load_all(servers: Sequence[McpServer], timeout_s: float) -> list[ServerTools]:
    return list(await asyncio.gather(*(_load_one(s, timeout_s) for s in servers)))


def load_server_tools(
    servers: Sequence[McpServer], timeout_s: float = DEFAULT_START_TIMEOUT_S
) -> list[ServerTools]:
    """Each server's tools (listed at once, each within ``timeout_s``), in order."""
    if not servers:
        return []
    return BACKGROUND.run(_load_all(servers, timeout_s), timeout_s + 15)
