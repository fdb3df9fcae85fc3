"""How agents address tools: a catalogue line each, one-string inputs, which tools retrieve.

A tool is a *retrieval* tool when it is marked so (:func:`mark_retrieval`): the
search-first step sends the question to it, and its text observations become
citable sources. The mark lives in the tool's ``metadata``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool

RETRIEVAL = "teamgraph_retrieval"
"""Metadata key: the tool returns material an answer can cite."""
NETWORK = "teamgraph_network"
"""Metadata key: the tool goes online (never called with ``TEAMGRAPH_OFFLINE=1``)."""
ORIGIN = "teamgraph_origin"
"""Metadata key: where the tool comes from (built-in, a module, an MCP server, ...)."""
WIRE_NAME = re.compile(r"[^A-Za-z0-9_-]")

T = TypeVar("T", bound=BaseTool)


def mark(tool: T, **marks: Any) -> T:
    """``tool`` with ``marks`` added to its metadata (``retrieval=True`` and so on)."""
    keys = {"retrieval": RETRIEVAL, "network": NETWORK, "origin": ORIGIN}
    tool.metadata = {**(tool.metadata or {}), **{keys[k]: v for k, v in marks.items()}}
    return tool


def mark_retrieval(tool: T) -> T:
    """Mark ``tool`` as a retrieval tool: searched first, its observations citable."""
    return mark(tool, retrieval=True)


def is_retrieval(tool: BaseTool) -> bool:
    """Whether ``tool`` is marked as a retrieval tool."""
    return bool((tool.metadata or {}).get(RETRIEVAL))


def needs_network(tool: BaseTool) -> bool:
    """Whether ``tool`` is marked as going online."""
    return bool((tool.metadata or {}).get(NETWORK))


def origin(tool: BaseTool) -> str:
    """Where ``tool`` comes from, as recorded when it was loaded (else ``python``)."""
    return str((tool.metadata or {}).get(ORIGIN) or "python")


def gives_sources(tool: BaseTool) -> bool:
    """Whether ``tool`` hands its sources over as its artifact (the built-in tools do).

    For such a tool an empty list means nothing was found: its text is no source.
    """
    return origin(tool) == "built-in"


def tool_catalogue(tools: Sequence[BaseTool]) -> str:
    """One line per tool: its name and the first line of its description."""
    return "\n".join(f"- {t.name}: {first_line(t.description)}" for t in tools)


def first_line(text: str) -> str:
    """The first non-empty line of ``text`` ("" if there is none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def input_arguments(tool: BaseTool, value: str) -> dict[str, Any]:
    """A single string input mapped to the tool's first argument."""
    names = list(tool.args)
    return {names[0]: value} if names else {}


def retrieval_tools(tools: Sequence[BaseTool]) -> list[BaseTool]:
    """The tools marked as retrieval tools, in order."""
    return [t for t in tools if is_retrieval(t)]


def wire_name(name: str) -> str:
    """``name`` as every provider accepts a function name (``notes.search`` -> ``notes_search``)."""
    return WIRE_NAME.sub("_", name)[:64]


def calls_for(tool: BaseTool, inputs: Sequence[str], prefix: str) -> list[ToolCall]:
    """One call of ``tool`` per input, with ids ``{prefix}-{tool}-{n}``."""
    return [
        ToolCall(name=tool.name, args=input_arguments(tool, text), id=f"{prefix}-{tool.name}-{n}")
        for n, text in enumerate(inputs)
    ]
