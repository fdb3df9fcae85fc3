"""Per-role accounting of model calls and tokens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from langchain_core.messages import AIMessage
from typing_extensions import TypedDict

ELAPSED_KEY = "teamgraph_elapsed_s"
"""Key of ``response_metadata`` where ``call_model`` records a call's wall time."""


class RoleUsage(TypedDict):
    """What one role spent."""

    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    """Wall time spent waiting for this role's model calls."""


UsageByRole = dict[str, RoleUsage]


def usage_of(role: str, responses: Iterable[AIMessage]) -> UsageByRole:
    """Usage of ``role`` for the given model responses (tokens as reported by the model)."""
    calls = input_tokens = output_tokens = 0
    seconds = 0.0
    for response in responses:
        calls += 1
        meta = response.usage_metadata
        if meta is not None:
            input_tokens += int(meta.get("input_tokens", 0))
            output_tokens += int(meta.get("output_tokens", 0))
        seconds += float(response.response_metadata.get(ELAPSED_KEY, 0.0))
    return {
        role: {
            "calls": calls,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "seconds": round(seconds, 3),
        }
    }


def merge_usage(
    left: Mapping[str, RoleUsage] | None, right: Mapping[str, RoleUsage] | None
) -> UsageByRole:
    """Reducer: add ``right``'s counts to ``left``'s, role by role."""
    merged: UsageByRole = {role: RoleUsage(**counts) for role, counts in (left or {}).items()}
    for role, counts in (right or {}).items():
        current = merged.setdefault(
            role, {"calls": 0, "input_tokens": 0, "output_tokens": 0, "seconds": 0.0}
        )
        current["calls"] += counts["calls"]
        current["input_tokens"] += counts["input_tokens"]
        current["output_tokens"] += counts["output_tokens"]
        current["seconds"] = round(current.get("seconds", 0.0) + counts.get("seconds", 0.0), 3)
    return merged


def prefixed(prefix: str, usage: Mapping[str, RoleUsage]) -> UsageByRole:
    """``usage`` with each role renamed ``prefix/role`` (a team's roles inside a larger team)."""
    return {f"{prefix}/{role}": RoleUsage(**counts) for role, counts in usage.items()}
