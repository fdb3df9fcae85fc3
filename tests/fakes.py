"""Scripted chat models for tests and overhead benchmarks: no network, no randomness."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

Reply = str | AIMessage | BaseException | Callable[[list[BaseMessage]], str]


class ScriptExhausted(AssertionError):
    """The model was called more often than its script allows."""


class ScriptedChatModel(BaseChatModel):
    """Answers from a script, in order, and records every prompt it was given.

    A reply may be text, an AIMessage, an exception to raise, or a function of the
    prompt. ``cycle=True`` repeats the script forever (for benchmarks).
    """

    script: list[Any]
    cycle: bool = False
    label: str = "scripted"
    max_tokens: int | None = None
    """The most tokens a reply may have, as providers' chat models declare it."""
    _calls: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def calls(self) -> list[list[BaseMessage]]:
        """Every prompt received, in call order."""
        return self._calls

    @property
    def exhausted(self) -> bool:
        """Whether every scripted reply has been used."""
        return len(self._calls) >= len(self.script)

    def prompts_text(self) -> list[str]:
        """Each call's prompt as one string (for substring assertions)."""
        return ["\n".join(str(m.content) for m in call) for call in self._calls]

    def _next_reply(self, messages: list[BaseMessage]) -> AIMessage:
        with self._lock:
            index = len(self._calls)
            if index >= len(self.script) and not self.cycle:
                raise ScriptExhausted(
                    f"{self.label}: call {index + 1} beyond a script of {len(self.script)}"
                )
            self._calls.append(list(messages))
            reply = self.script[index % len(self.script)]
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            reply = reply(messages)
        if isinstance(reply, AIMessage):
            return reply
        prompt_words = sum(len(str(m.content).split()) for m in messages)
        return AIMessage(
            content=reply,
            usage_metadata={
                "input_tokens": prompt_words,
                "output_tokens": len(reply.split()),
                "total_tokens": prompt_words + len(reply.split()),
            },
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next_reply(messages))])


def scripted(*replies: Reply, label: str = "scripted") -> ScriptedChatModel:
    """A ScriptedChatModel with the given replies."""
    return ScriptedChatModel(script=list(replies), label=label)


def system_prompts(model: ScriptedChatModel) -> Sequence[str]:
    """The system messages the model received, one string per call."""
    return ["\n".join(str(m.content) for m in call if m.type == "system") for call in model.calls]


class RoutedChatModel(BaseChatModel):
    """Answers by the first rule whose key occurs in the prompt (order-free, thread-safe).

    ``rules`` maps a substring to a reply (text, exception, or function of the prompt);
    it also tracks the most calls in flight at once (``peak``) when ``delay_s`` is set.
    """

    rules: list[tuple[str, Any]]
    delay_s: float = 0.0
    label: str = "routed"
    max_tokens: int | None = None
    """The most tokens a reply may have, as providers' chat models declare it."""
    _calls: list[str] = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _in_flight: int = PrivateAttr(default=0)
    _peak: int = PrivateAttr(default=0)

    @property
    def _llm_type(self) -> str:
        return "routed"

    @property
    def calls(self) -> list[str]:
        """Every prompt received (as one string), in arrival order."""
        return self._calls

    @property
    def peak(self) -> int:
        """Most calls that were in flight at the same time."""
        return self._peak

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        import time

        prompt = "\n".join(str(m.content) for m in messages)
        with self._lock:
            self._calls.append(prompt)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            matches = [reply for key, reply in self.rules if key in prompt]
            if not matches:
                raise ScriptExhausted(f"{self.label}: no rule matches the prompt {prompt[-300:]!r}")
            reply = matches[0]
            if isinstance(reply, BaseException):
                raise reply
            text = reply(prompt) if callable(reply) else reply
        finally:
            with self._lock:
                self._in_flight -= 1
        words = len(prompt.split())
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": words,
                "output_tokens": len(text.split()),
                "total_tokens": words + len(text.split()),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def make_instant_search() -> Any:
    """A retrieval tool that answers at once with one citable source per query."""
    from langchain_core.tools import tool

    from tools.tool_addressing import mark_retrieval

    @tool(response_format="content_and_artifact")
    def search(query: str) -> tuple[str, list[dict[str, str]]]:
        """Search the web for facts."""
        slug = "_".join(query.split())[:60]
        source = {
            "kind": "web",
            "title": f"Result for {query}",
            "url": f"https://example.org/{slug}",
            "snippet": f"Facts about {query}.",
        }
        return f"Facts about {query}.", [source]

    return mark_retrieval(search)


def caller(model: BaseChatModel, role: str = "model", ledger: Any = None) -> Any:
    """A RoleCaller of ``model`` charged to ``ledger`` (a fresh one by default)."""
    from agents.llm.calls import RoleCaller
    from agents.llm.ledger import Ledger

    return RoleCaller(role, model, "scripted", ledger or Ledger())


def swap_build(monkeypatch: Any, team: str, build: Callable[..., Any]) -> Callable[..., Any]:
    """Make the registry build ``team`` with ``build``; returns the real builder."""
    import dataclasses

    from graphs import registry

    spec = registry.TEAMS[team]
    monkeypatch.setitem(registry.TEAMS, team, dataclasses.replace(spec, build_graph=build))
    return spec.build_graph


def embedded_model(reply: Callable[[str], str]) -> Any:
    """The embedded model's chat model (native tool calls), answering ``reply(prompt)``.

    It never calls a tool itself and needs no server: what a run does with an embedded
    model is then down to the run.
    """
    from agents.llm.local_chat import LocalChatModel

    class ScriptedEmbedded(LocalChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            prompt = "\n".join(str(m.content) for m in messages)
            message = AIMessage(content=reply(prompt))
            return ChatResult(generations=[ChatGeneration(message=message)])

    return ScriptedEmbedded(
        model="scripted", base_url="http://127.0.0.1:9/v1", api_key="-", native_tool_calls=True
    )
