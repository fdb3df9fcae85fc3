"""Usage per role: calls, tokens, seconds and estimated cost, as runs report them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from typing_extensions import TypedDict


class RoleUsage(TypedDict):
    """What one role spent."""

    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    """Wall time spent waiting for this role's model calls."""
    cost_usd: float | None
    """Estimated cost; None when a call's model has no known price."""


UsageByRole = dict[str, RoleUsage]


def empty_usage() -> RoleUsage:
    """A role that has made no call yet."""
    return RoleUsage(calls=0, input_tokens=0, output_tokens=0, seconds=0.0, cost_usd=0.0)


def add_call(
    total: RoleUsage,
    calls: int,
    input_tokens: int,
    output_tokens: int,
    seconds: float,
    cost_usd: float | None,
) -> None:
    """Add one call (or an already summed group of calls) to ``total``, in place."""
    total["calls"] += calls
    total["input_tokens"] += input_tokens
    total["output_tokens"] += output_tokens
    total["seconds"] = round(total["seconds"] + seconds, 3)
    previous = total["cost_usd"]
    total["cost_usd"] = (
        None if previous is None or cost_usd is None else round(previous + cost_usd, 6)
    )


def latest_usage(
    left: Mapping[str, RoleUsage] | None, right: Mapping[str, RoleUsage] | None
) -> UsageByRole:
    """Reducer of snapshots of one ledger: per role, the snapshot with more calls made.

    A ledger only grows, so of two snapshots of a role the one with more calls (or, with
    as many, more tokens) is the later; parallel branches may write them in any order.
    """
    merged: UsageByRole = {role: RoleUsage(**counts) for role, counts in (left or {}).items()}
    for role, counts in (right or {}).items():
        current = merged.get(role)
        if current is None or _progress(counts) >= _progress(current):
            merged[role] = RoleUsage(**counts)
    return merged


def _progress(usage: RoleUsage) -> tuple[int, int]:
    return usage["calls"], usage["input_tokens"] + usage["output_tokens"]


def total_calls(usage: Iterable[RoleUsage]) -> int:
    """Calls across roles."""
    return sum(u["calls"] for u in usage)
