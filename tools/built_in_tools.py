"""The default toolbox: which tools an agent gets, and why any are left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.tools import BaseTool

from tools.calculator import calculator
from tools.kernel.offline import OFFLINE_ENV, is_offline
from tools.knowledge_base_tool import make_knowledge_base_tool
from tools.knowledge_store import DEFAULT_COLLECTION, KnowledgeStore, find_store, no_collection
from tools.tool_addressing import mark
from tools.web_search import KEY_ENV, make_web_search_tool, web_search_key
from tools.wikipedia_search import WikipediaLookup, make_wikipedia_tool

BUILT_IN = ("knowledge_base", "wikipedia", "web_search", "calculator")
NO_KEY_NOTE = f"web_search is off: set {KEY_ENV} to enable it."
"""The note of a default toolbox without a web-search key."""


@dataclass
class Toolbox:
    """Tools for an agent, and notes on the ones left out (shown once to the user)."""

    tools: list[BaseTool] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    choice: dict[str, Any] = field(default_factory=dict)
    """How the toolbox was asked for (tool names, MCP servers file, collection), so that
    a resumed run gets the same tools."""


def web_search_tool() -> BaseTool:
    """The ``web_search`` tool, marked as a retrieval tool that needs the network."""
    return mark(make_web_search_tool(), retrieval=True, network=True, origin="built-in")


def default_toolbox(
    collection: str = DEFAULT_COLLECTION,
    *,
    store: KnowledgeStore | None = None,
    wikipedia: WikipediaLookup | None = None,
) -> Toolbox:
    """knowledge_base (if it holds documents), wikipedia, web_search (with a key), calculator."""
    box = Toolbox()
    if store is None:
        store = find_store(collection)
    if store is not None and store.count() > 0:
        box.tools.append(make_knowledge_base_tool(store))
    else:
        state = f"collection {collection!r} is empty" if store else no_collection(collection)
        box.notes.append(
            f"knowledge_base is off: {state} (add documents with `teamgraph ingest PATH`)."
        )
    box.tools.append(make_wikipedia_tool(wikipedia))
    if is_offline():
        box.notes.append(f"web_search is off: {OFFLINE_ENV} is set.")
    elif web_search_key():
        box.tools.append(web_search_tool())
    else:
        box.notes.append(NO_KEY_NOTE)
    box.tools.append(calculator)
    return box
