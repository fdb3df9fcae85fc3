"""How agents address tools: a catalogue line each, one-string inputs, which tools retrieve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import ToolCall
from langchain_core.tools import BaseTool


def tool_catalogue(tools: Sequence[BaseTool]) -> str:
    """One line per tool: its name and the first line of its description."""
    return "\n".join(f"- {t.name}: {t.description.strip().splitlines()[0]}" for t in tools)


def input_arguments(tool: BaseTool, value: str) -> dict[str, Any]:
    """A single string input mapped to the tool's first argument."""
    names = list(tool.args)
    return {names[0]: value} if names else {}


def is_retrieval(tool: BaseTool) -> bool:
    """Whether ``tool`` returns citable sources (its artifact) beside its text."""
    return tool.response_format == "content_and_artifact"


def retrieval_tools(tools: Sequence[BaseTool]) -> list[BaseTool]:
    """The tools that return citable sources, in order."""
    return [t for t in tools if is_retrieval(t)]


def calls_for(tool: BaseTool, inputs: Sequence[str], prefix: str) -> list[ToolCall]:
    """One call of ``tool`` per input, with ids ``{prefix}-{tool}-{n}``."""
    return [
        ToolCall(name=tool.name, args=input_arguments(tool, text), id=f"{prefix}-{tool.name}-{n}")
        for n, text in enumerate(inputs)
    ]
