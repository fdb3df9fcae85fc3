"""Estimated cost of model calls, where the model's price is known."""

from __future__ import annotations

from collections.abc import Mapping

from agents.llm.embedded import LOCAL, is_local
from agents.llm.usage import RoleUsage

PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    LOCAL: (0.0, 0.0),
    "openai:gpt-4o-mini": (0.15, 0.60),
    "openai:gpt-4o": (2.50, 10.00),
    "openai:gpt-4.1": (2.00, 8.00),
    "openai:gpt-4.1-mini": (0.40, 1.60),
    "openai:gpt-4.1-nano": (0.10, 0.40),
    "anthropic:claude-3-5-haiku-latest": (0.80, 4.00),
    "anthropic:claude-3-5-sonnet-latest": (3.00, 15.00),
    "anthropic:claude-3-7-sonnet-latest": (3.00, 15.00),
}
"""USD per million (input, output) tokens, from the providers' public price lists."""


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> float | None:
    """Estimated USD for the tokens of calls on ``model`` (a model label), or None if unknown.

    Every embedded model (``local``, ``local:NAME``) is free.
    """
    price = PRICES_PER_MILLION.get(LOCAL if is_local(model) else model)
    if price is None:
        return None
    return round((input_tokens * price[0] + output_tokens * price[1]) / 1e6, 6)


def usage_table(
    usage: Mapping[str, RoleUsage], models: Mapping[str, str]
) -> list[dict[str, object]]:
    """One row per role: its model, calls, tokens, seconds and estimated cost."""
    rows: list[dict[str, object]] = []
    for role, counts in sorted(usage.items()):
        model = models.get(role, models.get(role.split("/")[-1], ""))
        rows.append({"role": role, "model": model, **counts})
    return rows
