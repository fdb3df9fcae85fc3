"""Read tool calls that a model wrote as text in its own chat format.

Qwen2.5 models write ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` as their
template asks; the Coder variant often writes the same object in a fenced ```` ```json ````
block, or bare after a sentence, instead. Each is a tool call when its ``name`` is one of
the tools offered and its ``arguments`` are an object; anything else stays text.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import ToolCall

ECHOED_TOOLS = re.compile(r"<tools>.*?(?:</tools>|$)\s*(?:\{\}\s*)?", re.DOTALL)
"""The ``<tools>`` block of the template, which small models sometimes copy into a reply."""
TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
FENCED = re.compile(r"```(?:json|tool_call)?\s*\n?(.*?)(?:```|$)", re.DOTALL)


@dataclass
class ParsedReply:
    """A reply split into its tool calls and the text around them."""

    text: str
    calls: list[ToolCall] = field(default_factory=list)


def parse_tool_calls(text: str, tool_names: Collection[str]) -> ParsedReply:
    """The tool calls written in ``text`` (tagged, fenced, or bare JSON), and the rest.

    A copy of the template's ``<tools>`` block is dropped from the text.
    """
    text = ECHOED_TOOLS.sub("", text).strip() if "<tools>" in text else text
    for pattern in (TAGGED, FENCED):
        calls: list[ToolCall] = []
        rest = text
        for match in pattern.finditer(text):
            found = _calls_in(match.group(1), tool_names)
            if found:
                calls.extend(found)
                rest = rest.replace(match.group(0), "", 1)
        if calls:
            return ParsedReply(rest.strip(), calls)
    return _embedded_calls(text, tool_names)


def _embedded_calls(text: str, tool_names: Collection[str]) -> ParsedReply:
    """Calls written as bare JSON inside the text (after a sentence of narration, say)."""
    decoder = json.JSONDecoder()
    calls: list[ToolCall] = []
    kept: list[str] = []
    position = 0
    for start, char in enumerate(text):
        if start < position or char not in "{[":
            continue
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            continue
        found = _calls_in(json.dumps(value), tool_names)
        if found:
            calls.extend(found)
            kept.append(text[position:start])
            position = end
    if not calls:
        return ParsedReply(text)
    return ParsedReply(("".join(kept) + text[position:]).strip(), calls)


def _calls_in(block: str, tool_names: Collection[str]) -> list[ToolCall]:
    """The calls in one block: a JSON object, a list of them, or objects one per line."""
    values = _json_values(block)
    if values is None:
        return []
    objects = [item for value in values for item in (value if isinstance(value, list) else [value])]
    calls = [_call(item, tool_names) for item in objects]
    return [call for call in calls if call is not None] if all(calls) else []


def _json_values(block: str) -> list[Any] | None:
    """Every JSON value in ``block`` one after another, or None if anything else is there."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = 0
    block = block.strip()
    while position < len(block):
        try:
            value, position = decoder.raw_decode(block, position)
        except json.JSONDecodeError:
            return None
        values.append(value)
        while position < len(block) and block[position] in " \t\r\n,":
            position += 1
    return values or None


def _call(item: Any, tool_names: Collection[str]) -> ToolCall | None:
    """``{"name", "arguments"}`` as a call; a tool's echoed definition is not one."""
    if not isinstance(item, dict) or item.get("name") not in tool_names or "description" in item:
        return None
    arguments = item.get("arguments", {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            return None
    if not isinstance(arguments, dict):
        return None
    return ToolCall(name=item["name"], args=arguments, id=f"call_{uuid.uuid4().hex[:12]}")
