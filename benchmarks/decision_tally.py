"""Count how the decisions of a stretch of runs went: first ask, re-asked, or fallback.

Every decision ends as an ``agents.llm.structured.Decision``; while :func:`counting` is
active, each one made is counted by how many asks it took.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from agents.llm import structured


@dataclass
class Tally:
    """Decisions counted by outcome, and by wire format."""

    outcomes: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)

    def add(self, decision: structured.Decision[Any]) -> None:
        """Count one finished decision."""
        if decision.fallback_used:
            outcome = "fallback"
        elif decision.attempts == 1:
            outcome = "first_try"
        else:
            outcome = "reasked"
        self.outcomes[outcome] += 1
        self.formats[type(decision.value).__name__] += 1

    def shares(self) -> dict[str, Any]:
        """Each outcome's share of all decisions, and how many there were."""
        total = sum(self.outcomes.values())
        shares: dict[str, Any] = {
            key: round(self.outcomes[key] / total, 3) if total else None
            for key in ("first_try", "reasked", "fallback")
        }
        return {**shares, "decisions": total}


@contextmanager
def counting() -> Iterator[Tally]:
    """Count every decision made inside the ``with`` block."""
    tally = Tally()
    original = structured.Decision

    class Counted(original):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            tally.add(self)

    structured.Decision = Counted  # type: ignore[misc]
    try:
        yield tally
    finally:
        structured.Decision = original  # type: ignore[misc]
