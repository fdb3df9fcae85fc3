"""MCP servers as the common file writes them: ``{"mcpServers": {name: {...}}}``.

A local server is ``{"command", "args", "env", "cwd"}`` (stdio); a remote one is
``{"url", "transport", "headers"}`` (``streamable_http``, the default, or ``sse``).
teamgraph also reads ``"retrieval"`` (true, or a list of the server's tool names: their
observations become citable sources) and ``"disabled"``. Anything else wrong is
reported with the key that is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.kernel.errors import InputError

SERVERS_KEY = "mcpServers"
STDIO_KEYS = {"command", "args", "env", "cwd"}
REMOTE_KEYS = {"url", "headers"}
COMMON_KEYS = {"transport", "type", "retrieval", "disabled", "description"}
IGNORED_KEYS = {"alwaysAllow", "autoApprove", "timeout"}
REMOTE_TRANSPORTS = {"streamable_http": "streamable_http", "streamable-http": "streamable_http",
                     "http": "streamable_http", "sse": "sse"}  # fmt: skip


class McpConfigError(InputError):
    """An MCP servers file or table that cannot be used; the message names the key."""


@dataclass(frozen=True)
class McpServer:
    """One MCP server: how to start or reach it, and which of its tools retrieve."""

    name: str
    transport: str
    """``stdio``, ``streamable_http`` or ``sse``."""
    command: str = ""
    args: list[str] = field(default_factory=list)
    env: dict[str, str] | None = None
    cwd: str | None = None
    url: str = ""
    headers: dict[str, str] | None = None
    retrieval: bool | list[str] = False

    def retrieves(self, tool: str) -> bool:
        """Whether ``tool`` of this server is a retrieval tool."""
        return self.retrieval is True or (
            isinstance(self.retrieval, list) and tool in self.retrieval
        )


def _strings(value: Any, where: str, kind: type) -> Any:
    if kind is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if (
        kind is dict
        and isinstance(value, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return dict(value)
    shape = "a list of strings" if kind is list else "an object of string values"
    raise McpConfigError(f"{where} must be {shape}, not {json.dumps(value, default=str)[:80]}.")


def _transport(entry: Mapping[str, Any], where: str, remote: bool) -> str:
    key = "transport" if "transport" in entry else "type"
    given = str(entry.get(key) or ("streamable_http" if remote else "stdio"))
    if not remote and given == "stdio":
        return "stdio"
    if remote and given in REMOTE_TRANSPORTS:
        return REMOTE_TRANSPORTS[given]
    allowed = "streamable_http or sse" if remote else "stdio (a server with a url is remote)"
    raise McpConfigError(f"{where}.{key} is {given!r}: use {allowed}.")


def parse_server(name: str, entry: Any, where: str, base: Path) -> McpServer:
    """One server entry, checked; ``where`` names it in messages (``file: mcpServers.x``)."""
    if not isinstance(entry, Mapping):
        raise McpConfigError(f"{where} must be an object with a command or a url.")
    unknown = sorted(set(entry) - STDIO_KEYS - REMOTE_KEYS - COMMON_KEYS - IGNORED_KEYS)
    if unknown:
        raise McpConfigError(
            f"{where}.{unknown[0]} is not a known key: use command, args, env, cwd (local "
            "server) or url, transport, headers (remote), and optionally retrieval."
        )
    remote = "url" in entry
    if remote == ("command" in entry):
        raise McpConfigError(
            f'{where} needs either "command" (a local server) or "url" (a remote one).'
        )
    main = "url" if remote else "command"
    if not isinstance(entry[main], str) or not entry[main].strip():
        raise McpConfigError(f"{where}.{main} must be a non-empty string.")
    retrieval = entry.get("retrieval", False)
    if not isinstance(retrieval, bool):
        retrieval = _strings(retrieval, f"{where}.retrieval", list)
    cwd = entry.get("cwd")
    if cwd is not None and not isinstance(cwd, str):
        raise McpConfigError(f"{where}.cwd must be a string.")
    return McpServer(
        name=name,
        transport=_transport(entry, where, remote),
        command=str(entry.get("command", "")),
        args=_strings(entry.get("args", []), f"{where}.args", list),
        env=_strings(entry["env"], f"{where}.env", dict) if "env" in entry else None,
        cwd=str(base / cwd) if cwd else None,
        url=str(entry.get("url", "")),
        headers=_strings(entry["headers"], f"{where}.headers", dict)
        if "headers" in entry
        else None,
        retrieval=retrieval,
    )


def parse_servers(servers: Any, where: str, base: Path) -> list[McpServer]:
    """Every enabled server of an ``mcpServers`` object (``where`` names it in messages)."""
    if not isinstance(servers, Mapping):
        raise McpConfigError(f"{where} must be an object mapping server names to servers.")
    parsed = []
    for name, entry in servers.items():
        if isinstance(entry, Mapping) and entry.get("disabled") is True:
            continue
        parsed.append(parse_server(str(name), entry, f"{where}.{name}", base))
    return parsed


def read_servers_file(path: Path) -> list[McpServer]:
    """The servers of an MCP servers file; McpConfigError naming what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise McpConfigError(
            f"Cannot read the MCP servers file {path}: {error.strerror}."
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise McpConfigError(f"{path} is not valid JSON: {error}.") from None
    if not isinstance(data, Mapping) or SERVERS_KEY not in data:
        raise McpConfigError(
            f'{path} has no "{SERVERS_KEY}" key: write {{"{SERVERS_KEY}": {{"name": '
            '{"command": ..., "args": [...]}}}.'
        )
    return parse_servers(data[SERVERS_KEY], f"{path}: {SERVERS_KEY}", path.resolve().parent)
