"""One place where model calls are made, so every failure becomes a clear ModelCallError."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import Runnable

from agents.budget import current_budget
from agents.errors import ModelCallError, TeamgraphError
from agents.usage import ELAPSED_KEY


def _is_timeout(error: BaseException) -> bool:
    return "timeout" in type(error).__name__.lower() or isinstance(error, TimeoutError)


def call_model(role: str, model: Runnable[Any, Any], messages: Sequence[BaseMessage]) -> Any:
    """Invoke ``model`` for ``role``; provider errors become one-sentence ModelCallErrors."""
    budget = current_budget()
    if budget is not None:
        budget.reserve()
    started = time.perf_counter()
    try:
        result = model.invoke(list(messages))
    except TeamgraphError:
        raise
    except Exception as error:
        if _is_timeout(error):
            raise ModelCallError(
                f"The {role} model timed out ({type(error).__name__}); try again, raise the "
                "provider's timeout, or pick a faster model for this role."
            ) from error
        raise ModelCallError(
            f"The {role} model failed: {type(error).__name__}: {error}. Check the model name, "
            "API key and network, or choose another model for this role."
        ) from error
    raw = result.get("raw") if isinstance(result, dict) else result
    if isinstance(raw, AIMessage):
        raw.response_metadata[ELAPSED_KEY] = time.perf_counter() - started
        if budget is not None and raw.usage_metadata:
            budget.charge(int(raw.usage_metadata.get("total_tokens", 0)))
    return result


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
