"""Run a model's tool calls: errors become observations, sources get citation numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool

from tools.citations import number_sources
from tools.sources import Source

DEFAULT_OBSERVATION_CHARS = 2000


def cut(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` characters, saying how much was left out."""
    if len(text) <= budget:
        return text
    return text[:budget].rstrip() + f"\n[... {len(text) - budget} more characters cut]"


def _observation(content: str, sources: Sequence[Source], numbers: Sequence[int]) -> str:
    if not sources:
        return content
    header = content.split("\n", 1)[0] if content.startswith("[") else ""
    blocks = []
    for number, source in zip(numbers, sources, strict=True):
        where = source.get("url") or ", ".join(
            part for part in (source.get("location"), source.get("chunk_id")) if part
        )
        blocks.append(f"[{number}] {source['title']} ({where}):\n{source.get('snippet', '')}")
    return "\n\n".join([header, *blocks] if header else blocks)


def run_tool_calls(
    calls: Sequence[ToolCall],
    tools: Sequence[BaseTool],
    known: Sequence[Source],
    budget: int = DEFAULT_OBSERVATION_CHARS,
) -> tuple[list[ToolMessage], list[Source]]:
    """Execute ``calls``; returns one ToolMessage per call and the newly seen sources."""
    by_name = {t.name: t for t in tools}
    messages: list[ToolMessage] = []
    new_sources: list[Source] = []
    for call in calls:
        call_id = call.get("id") or call["name"]
        tool = by_name.get(call["name"])
        if tool is None:
            available = ", ".join(by_name) or "none"
            text = f"error: there is no tool named {call['name']!r}; available tools: {available}"
            messages.append(
                ToolMessage(text, tool_call_id=call_id, name=call["name"], status="error")
            )
            continue
        try:
            result: Any = tool.invoke({**call, "type": "tool_call"})
            content = str(result.content)
            found: list[Source] = list(result.artifact or [])
        except Exception as error:
            text = f"error: {call['name']} failed ({type(error).__name__}: {error})"
            messages.append(
                ToolMessage(text, tool_call_id=call_id, name=call["name"], status="error")
            )
            continue
        numbers, new = number_sources([*known, *new_sources], found)
        new_sources.extend(new)
        observation = cut(_observation(content, found, numbers), budget)
        messages.append(
            ToolMessage(observation, tool_call_id=call_id, name=call["name"], artifact=found)
        )
    return messages, new_sources
