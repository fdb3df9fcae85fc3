"""Constraints shared by the wire formats of decisions."""

from __future__ import annotations

from pydantic import StringConstraints


def stripped(max_length: int) -> StringConstraints:
    """Text checked after stripping: whitespace alone counts as empty, and is refused."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)
