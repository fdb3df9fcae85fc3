"""The toolbox a run gets: built-in tools, the community catalogue, import paths, MCP servers.

``--tools`` names (or ``tools`` in the project file, or ``TEAMGRAPH_TOOLS``):

* ``default``: the default toolbox (what a run gets when no tools are named);
* a built-in tool: ``knowledge_base``, ``wikipedia``, ``web_search``, ``calculator``;
* ``package.module:attr``: a tool, a list of tools, or a function returning them;
* any other name: the LangChain community catalogue (``arxiv``, ``pubmed``, ...).

MCP servers add their tools to these; a tool whose name another tool already has is
called ``server.tool``.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from langchain_core.tools import BaseTool

from tools.built_in_tools import BUILT_IN, Toolbox, default_toolbox, web_search_tool
from tools.calculator import calculator
from tools.community import (
    community_names,
    is_catalogue_name,
    load_community_tool,
    unavailable_tool,
)
from tools.kernel.config import project_config, resolve
from tools.kernel.errors import InputError
from tools.knowledge_base_tool import make_knowledge_base_tool
from tools.knowledge_store import DEFAULT_COLLECTION, find_store, no_collection
from tools.mcp import DEFAULT_START_TIMEOUT_S, load_server_tools
from tools.mcp_config import SERVERS_KEY, McpServer, parse_servers, read_servers_file
from tools.web_search import KEY_ENV, web_search_key
from tools.wikipedia_search import make_wikipedia_tool

DEFAULT = "default"


def built_in_tool(name: str, collection: str) -> tuple[BaseTool, list[str]]:
    """One built-in tool by name, with a note when it cannot do much."""
    if name == "knowledge_base":
        store = find_store(collection)
        if store is None:
            missing = f"knowledge_base: {no_collection(collection)}"
            return make_knowledge_base_tool(collection), [
                f"{missing}; add documents with `teamgraph ingest PATH`."
            ]
        empty = (
            [f"knowledge_base: collection {collection!r} is empty."] if not store.count() else []
        )
        return make_knowledge_base_tool(store), empty
    if name == "wikipedia":
        return make_wikipedia_tool(), []
    if name == "web_search":
        if web_search_key():
            return web_search_tool(), []
        reason = f"web_search needs an API key: set {KEY_ENV}"
        return unavailable_tool("web_search", reason), [
            f"web_search is unavailable: set {KEY_ENV}."
        ]
    return calculator, []


def _unknown(name: str) -> InputError:
    known = [DEFAULT, *BUILT_IN, *community_names()]
    close = difflib.get_close_matches(name, known, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return InputError(
        f"No tool named {name!r}{hint}: use default, a built-in tool ({', '.join(BUILT_IN)}), "
        "a community tool (`teamgraph tools --catalogue` lists them) or package.module:attr."
    )


def check_tool_name(name: str) -> None:
    """Raise InputError if ``name`` names no tool (an import path is imported to see)."""
    from tools.python_tools import load_python_tools

    if name in (DEFAULT, *BUILT_IN) or is_catalogue_name(name):
        return
    if ":" not in name:
        raise _unknown(name)
    load_python_tools(name)


def named_tools(names: Sequence[str], collection: str) -> Toolbox:
    """The tools ``names`` ask for, in order, with notes."""
    from tools.python_tools import load_python_tools

    box = Toolbox()
    for name in names:
        have = {t.name for t in box.tools}
        if name == DEFAULT:
            default = default_toolbox(collection)
            box.tools.extend(t for t in default.tools if t.name not in have)
            box.notes.extend(default.notes)
        elif name in BUILT_IN:
            if name in have:
                continue
            tool, notes = built_in_tool(name, collection)
            box.tools.append(tool)
            box.notes.extend(notes)
        elif ":" in name:
            box.tools.extend(load_python_tools(name))
        elif is_catalogue_name(name):
            tools, notes = load_community_tool(name)
            box.tools.extend(tools)
            box.notes.extend(notes)
        else:
            raise _unknown(name)
    return box


def named_toolbox(names: Sequence[str]) -> Toolbox:
    """The tools ``names`` ask for and no others (no MCP servers), in the configured collection."""
    box = named_tools(names, resolve("collection", None, DEFAULT_COLLECTION).value)
    box.tools = _unique(box.tools)
    return box


def _unique(tools: Sequence[BaseTool]) -> list[BaseTool]:
    """``tools`` without repeats of one object; InputError if two tools share a name."""
    kept = list({id(t): t for t in tools}.values())
    counts = Counter(t.name for t in kept)
    twice = sorted(name for name, n in counts.items() if n > 1)
    if twice:
        raise InputError(
            f"Two tools are named {twice[0]!r}: name each tool once (rename one of them)."
        )
    return kept


def add_server_tools(box: Toolbox, servers: Sequence[McpServer], timeout_s: float) -> None:
    """Add the tools of ``servers`` to ``box``; a name met twice becomes ``server.tool``."""
    loaded = load_server_tools(servers, timeout_s)
    box.notes.extend(result.note for result in loaded if result.note)
    pairs = [(result.server.name, tool) for result in loaded for tool in result.tools]
    counts = Counter([*(t.name for t in box.tools), *(tool.name for _, tool in pairs)])
    for server, tool in pairs:
        if counts[tool.name] > 1:
            tool.name = f"{server}.{tool.name}"
        box.tools.append(tool)


def configured_servers(mcp: str | None) -> list[McpServer]:
    """The MCP servers of the file ``mcp`` names, else those the project file writes out."""
    if mcp:
        return read_servers_file(Path(mcp).expanduser())
    config = project_config()
    if not config.mcp_servers or config.path is None:
        return []
    where = f"{config.path}: {SERVERS_KEY}"
    return parse_servers(config.mcp_servers, where, config.path.resolve().parent)


def toolbox_for(
    tools: Sequence[str] | None = None,
    mcp: str | None = None,
    collection: str | None = None,
    *,
    mcp_timeout_s: float = DEFAULT_START_TIMEOUT_S,
) -> Toolbox:
    """The toolbox these choices give: each one, if None, from env, then file, then default.

    ``tools``: names as for ``--tools``; ``mcp``: an MCP servers file; ``collection``: the
    knowledge-base collection. InputError says what is wrong with a choice.
    """
    chosen_tools = resolve("tools", tools).value
    chosen_mcp = resolve("mcp", mcp).value
    chosen_collection = resolve("collection", collection, DEFAULT_COLLECTION).value
    servers = configured_servers(chosen_mcp)
    if chosen_tools is None:
        box = default_toolbox(chosen_collection)
    else:
        box = named_tools(chosen_tools, chosen_collection)
    box.tools = _unique(box.tools)
    add_server_tools(box, servers, mcp_timeout_s)
    box.choice = {
        "tools": list(tools) if tools is not None else None,
        "mcp": str(Path(mcp).resolve()) if mcp else None,
        "collection": collection,
    }
    return box


def configured_tools() -> list[BaseTool]:
    """The tools of the project's configuration (env, file), else the default toolbox."""
    return toolbox_for().tools
