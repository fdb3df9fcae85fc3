"""Ask a tool-calling model for its next message, with the tools under names it accepts.

Tool names a provider would refuse (``notes.search``) go out as ``notes_search`` and
come back under their own names, in the reply's calls and in the history sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool

from agents.llm.calls import RoleCaller
from tools.tool_addressing import wire_name


def renamed_calls(messages: Sequence[AnyMessage], names: Mapping[str, str]) -> list[AnyMessage]:
    """``messages`` with tool names in calls and observations replaced as ``names`` says."""
    renamed: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, AIMessage) and message.tool_calls:
            calls = [{**c, "name": names.get(c["name"], c["name"])} for c in message.tool_calls]
            message = message.model_copy(update={"tool_calls": calls})
        elif isinstance(message, ToolMessage) and message.name and message.name in names:
            message = message.model_copy(update={"name": names[message.name]})
        renamed.append(message)
    return renamed


def ask_with_tools(
    caller: RoleCaller,
    opening: Sequence[BaseMessage],
    history: Sequence[AnyMessage],
    tools: Sequence[BaseTool],
    require_tool: bool = False,
) -> AIMessage:
    """The model's reply to ``opening`` + ``history`` with ``tools`` bound (calls or text)."""
    to_wire = {t.name: wire_name(t.name) for t in tools if wire_name(t.name) != t.name}
    on_wire = [
        t.model_copy(update={"name": to_wire[t.name]}) if t.name in to_wire else t for t in tools
    ]
    bound = caller.model.bind_tools(on_wire, tool_choice="any" if require_tool else None)
    prompt = [*opening, *renamed_calls(history, to_wire)]
    reply = cast(AIMessage, caller.invoke(prompt, bound))
    back = {wire: name for name, wire in to_wire.items()}
    return cast(AIMessage, renamed_calls([reply], back)[0]) if back else reply
