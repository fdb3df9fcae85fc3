"""The one place where model calls are made: charged to the run's ledger, errors made clear."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.messages import AIMessage, BaseMessage
from typing_extensions import TypedDict

from agents.llm.embedded import is_local
from agents.llm.ledger import Ledger
from agents.llm.llama_server import call_timeout_s
from agents.llm.pricing import estimate_cost
from tools.kernel.errors import ModelCallError, TeamgraphError, kind_and_reason

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable, RunnableConfig


@dataclass(frozen=True)
class RoleCaller:
    """A role's model, with every call charged to the run's ledger under the role's name."""

    role: str
    model: BaseChatModel
    label: str
    """The model's readable name (``local``, ``openai:gpt-4o-mini``), which prices it."""
    ledger: Ledger
    team: str = ""
    task: str = ""
    """The task the calls are made for, if any (kept in the ledger and the trace)."""

    def invoke(
        self, messages: Sequence[BaseMessage], runnable: Runnable[Any, Any] | None = None
    ) -> Any:
        """Call the model (or ``runnable`` built on it); errors become ModelCallError.

        A transient failure (rate limit, server error, lost connection, time-out) is tried
        again after a pause, up to ``len(RETRY_PAUSES_S)`` times, and said on the run's
        stream (:func:`announce_retry`); every attempt is a call in the ledger.
        """
        pauses = (*RETRY_PAUSES_S, None)
        for attempt, pause in enumerate(pauses, start=1):
            try:
                return self._attempt(messages, runnable)
            except ModelCallError as error:
                if pause is None or not is_transient(error.__cause__):
                    raise
                announce_retry(self.role, error, attempt + 1, len(pauses))
            time.sleep(pause)
        raise AssertionError("unreachable")

    def _attempt(self, messages: Sequence[BaseMessage], runnable: Runnable[Any, Any] | None) -> Any:
        reservation = self.ledger.reserve(
            self.role, self.task, estimate_tokens(messages), most_output(self.model)
        )
        started = time.perf_counter()
        try:
            result = (runnable or self.model).invoke(list(messages), self._trace())
        except Exception as error:
            tokens = _tokens_of_error(error)
            self.ledger.settle(
                reservation, *tokens, time.perf_counter() - started, self._cost(*tokens)
            )
            if isinstance(error, TeamgraphError):
                raise
            raise _call_error(self.role, error, self.label) from error
        tokens = _tokens(result)
        self.ledger.settle(reservation, *tokens, time.perf_counter() - started, self._cost(*tokens))
        return result

    def _cost(self, input_tokens: int, output_tokens: int) -> float | None:
        return estimate_cost(self.label, input_tokens, output_tokens)

    def _trace(self) -> RunnableConfig:
        name = f"{self.team}/{self.role}" if self.team else self.role
        config: RunnableConfig = {
            "run_name": name,
            "tags": [name],
            "metadata": {
                "teamgraph_team": self.team,
                "teamgraph_role": self.role,
                "teamgraph_task": self.task,
            },
        }
        return config


class RetryNotice(TypedDict):
    """What a run's stream says when a model call failed and is made again."""

    kind: Literal["retry"]
    role: str
    error: str
    """The provider's error, e.g. ``APITimeoutError: Request timed out.``."""
    attempt: int
    """The attempt about to be made (2 for the first retry)."""
    attempts: int


def announce_retry(role: str, error: ModelCallError, attempt: int, attempts: int) -> None:
    """Say on the run's custom stream that ``role``'s call failed and is made again."""
    from langgraph.config import get_stream_writer

    try:
        write = get_stream_writer()
    except RuntimeError:  # not inside a graph run: nobody to tell
        return
    cause = error.__cause__ or error
    said = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    write(
        RetryNotice(kind="retry", role=role, error=said[:200], attempt=attempt, attempts=attempts)
    )


RETRY_PAUSES_S = (0.5, 2.0)
"""Pauses before trying a transiently failed call again (models are built without retries)."""
TRANSIENT_STATUS = frozenset({408, 409, 429})
TRANSIENT_NAMES = ("RateLimit", "Timeout", "Connection", "InternalServer", "Unavailable")


def is_transient(error: BaseException | None) -> bool:
    """Whether a provider error may pass if the call is made again."""
    if error is None:
        return False
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and (status in TRANSIENT_STATUS or status >= 500):
        return True
    return any(name in type(error).__name__ for name in TRANSIENT_NAMES)


CHARS_PER_TOKEN = 3
"""A cautious estimate (English is nearer four characters a token): limits hold early."""
UNKNOWN_MOST_OUTPUT = 1024
"""Tokens held for a reply whose model sets no ``max_tokens``."""


def estimate_tokens(messages: Sequence[BaseMessage]) -> int:
    """A generous estimate of the prompt's tokens, made before the call."""
    return sum(len(str(m.content)) // CHARS_PER_TOKEN + 4 for m in messages)


def most_output(model: BaseChatModel) -> int:
    """The most tokens a reply of ``model`` can have (its ``max_tokens``, else a default)."""
    for name in ("max_tokens", "max_completion_tokens", "num_predict"):
        value = getattr(model, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return UNKNOWN_MOST_OUTPUT


def _tokens(result: Any) -> tuple[int, int]:
    raw = result.get("raw") if isinstance(result, dict) else result
    meta = raw.usage_metadata if isinstance(raw, AIMessage) else None
    if not meta:
        return 0, 0
    return int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))


def _tokens_of_error(error: BaseException) -> tuple[int, int]:
    """Tokens a failed call still used (a reply cut at the length limit reports them)."""
    usage = getattr(getattr(error, "completion", None), "usage", None)
    return (
        int(getattr(usage, "prompt_tokens", 0) or 0),
        int(getattr(usage, "completion_tokens", 0) or 0),
    )


def is_length_limit(error: BaseException) -> bool:
    """Whether a call failed because the reply was cut at the length limit."""
    return type(error).__name__ == "LengthFinishReasonError"


def _call_error(role: str, error: Exception, label: str = "") -> ModelCallError:
    if "timeout" in type(error).__name__.lower() or isinstance(error, TimeoutError):
        if is_local(label):
            return ModelCallError(
                f"The {role} model ({label}) gave no reply within {call_timeout_s()} s "
                f"({type(error).__name__}): the machine may be busy; raise "
                "TEAMGRAPH_LOCAL_TIMEOUT_S, or pick a smaller or remote model for this role."
            )
        return ModelCallError(
            f"The {role} model timed out ({type(error).__name__}); try again, raise the "
            "provider's timeout, or pick a faster model for this role."
        )
    return ModelCallError(
        f"The {role} model failed: {kind_and_reason(error)}. Check the model name, API key "
        "and network, or choose another model for this role."
    )


def reply_text(message: AIMessage) -> str:
    """The plain text of a model reply (string content or text parts joined)."""
    content = message.content
    if isinstance(content, str):
        return content.strip()
    parts = [
        part if isinstance(part, str) else str(part.get("text", ""))
        for part in content
        if isinstance(part, str | dict)
    ]
    return "".join(parts).strip()


MAX_EMPTY_REPLIES = 2
"""An empty reply is asked for once more; then the role's model is reported as unusable."""


def written_reply(caller: RoleCaller, messages: Sequence[BaseMessage], what: str) -> str:
    """The text ``caller``'s model writes for ``messages`` (``what``: "draft", "reply", ...).

    An empty reply is asked once more; ModelCallError if it stays empty.
    """
    for _ in range(MAX_EMPTY_REPLIES):
        text = reply_text(caller.invoke(list(messages)))
        if text:
            return text
    raise ModelCallError(
        f"The {caller.role} model returned an empty {what} {MAX_EMPTY_REPLIES} times; "
        f"choose another model for the {caller.role} role."
    )
