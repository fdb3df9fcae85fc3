"""The chat model of an embedded model: OpenAI-compatible, with its tool calls read back.

The embedded server applies the model's own chat template, so the tools are offered in the
model's native format; the tool calls it writes as text in that format become
``tool_calls`` here (see :mod:`agents.llm.tool_call_text`), as a provider's server would
return them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_openai import ChatOpenAI

from agents.llm.tool_call_text import parse_tool_calls


class LocalChatModel(ChatOpenAI):
    """An embedded model behind its loopback server."""

    native_tool_calls: bool = False
    """Whether the model calls tools in its own format (else it takes the guided path)."""
    embedded_name: str = ""
    """The catalogue name of the model, e.g. ``qwen2.5-coder-1.5b``."""

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Offer ``tools``; a required choice is left to the caller's loop.

        llama.cpp turns a required choice into a grammar this model escapes with a fenced
        block, then pads with newlines up to the token limit.
        """
        return super().bind_tools(tools, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        result = super()._generate(messages, stop, run_manager, **kwargs)
        return with_tool_calls(result, kwargs.get("tools"))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        result = await super()._agenerate(messages, stop, run_manager, **kwargs)
        return with_tool_calls(result, kwargs.get("tools"))


def tool_names(tools: Any) -> list[str]:
    """The names of the tools of a request (OpenAI's ``tools`` list)."""
    names = []
    for tool in tools or []:
        function = tool.get("function", {}) if isinstance(tool, dict) else {}
        if isinstance(function.get("name"), str):
            names.append(function["name"])
    return names


def with_tool_calls(result: ChatResult, tools: Any) -> ChatResult:
    """``result`` with tool calls written as text turned into ``tool_calls``."""
    names = tool_names(tools)
    if not names:
        return result
    generations = []
    for generation in result.generations:
        message = generation.message
        if isinstance(message, AIMessage) and not message.tool_calls:
            parsed = parse_tool_calls(str(message.content), names)
            if parsed.calls:
                message = message.model_copy(
                    update={"content": parsed.text, "tool_calls": parsed.calls}
                )
                generation = ChatGeneration(
                    message=message, generation_info=generation.generation_info
                )
        generations.append(generation)
    return ChatResult(generations=generations, llm_output=result.llm_output)
