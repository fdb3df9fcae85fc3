"""A real MCP server for tests (FastMCP over stdio) and the servers file that starts it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SERVER = '''
import os, sys, time
from mcp.server.fastmcp import FastMCP

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
if mode == "crash":
    print("notes server: cannot open the notes database", file=sys.stderr, flush=True)
    sys.exit(3)
if mode == "hang":
    time.sleep(600)

port = int(sys.argv[2]) if mode == "http" else 8000
server = FastMCP("notes", host="127.0.0.1", port=port)


@server.tool()
def lookup(query: str) -> str:
    """Look up the office notes."""
    if "stall" in query:
        time.sleep(600)
    if "die" in query:
        os._exit(1)
    return f"Office notes on {query}: the Wi-Fi password is purple-otter-42."


@server.tool()
def calculator(expression: str) -> str:
    """Another calculator (its name clashes with the built-in one)."""
    return f"{expression} = 42"


server.run(transport="streamable-http" if mode == "http" else "stdio")
'''
PASSWORD = "purple-otter-42"


def write_server(folder: Path) -> Path:
    """The server script in ``folder``."""
    path = folder / "notes_server.py"
    path.write_text(SERVER, encoding="utf-8")
    return path


def servers_file(folder: Path, servers: dict[str, dict]) -> Path:
    """An ``mcp.json`` in ``folder`` with ``servers``."""
    path = folder / "mcp.json"
    path.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return path


def notes_server(script: Path, mode: str = "ok", **more: object) -> dict:
    """The servers-file entry that starts ``script`` in ``mode`` with this Python."""
    return {"command": sys.executable, "args": [str(script), mode], **more}
