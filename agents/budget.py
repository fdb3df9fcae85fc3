"""Per-run limits on model calls and tokens, shared by every role and parallel branch.

A :class:`Budget` is made active for a run with :func:`active_budget`; LangGraph copies
the context into every node, Send branch and subgraph, so ``call_model`` charges the same
counters everywhere. A call that would pass a limit raises :class:`BudgetExceeded`. A
budget made inside another one (a team with its own limits inside a limited run) charges
both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field

from agents.errors import TeamgraphError


class BudgetExceeded(TeamgraphError):
    """A run reached one of its limits; ``limit`` names which."""

    def __init__(self, limit: str, message: str) -> None:
        """Record the limit's name with the message."""
        super().__init__(message)
        self.limit = limit


@dataclass
class Budget:
    """Limits for one run and what it has spent so far (thread-safe)."""

    max_calls: int | None = None
    max_tokens_total: int | None = None
    parent: Budget | None = None
    """The enclosing run's budget, charged too."""
    calls: int = 0
    tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        """Reject limits that cannot be met."""
        for name in ("max_calls", "max_tokens_total"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise TeamgraphError(
                    f"{name} must be 1 or more (got {value}); leave it unset for no limit."
                )

    def reserve(self) -> None:
        """Count one more model call, or raise BudgetExceeded if a limit is reached."""
        with self._lock:
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise BudgetExceeded(
                    "max_calls", f"The run reached its limit of {self.max_calls} model calls."
                )
            if self.max_tokens_total is not None and self.tokens >= self.max_tokens_total:
                raise BudgetExceeded(
                    "max_tokens_total",
                    f"The run reached its limit of {self.max_tokens_total} tokens "
                    f"({self.tokens} used).",
                )
            if self.parent is not None:
                self.parent.reserve()
            self.calls += 1

    def charge(self, tokens: int) -> None:
        """Add the tokens a finished call used."""
        with self._lock:
            self.tokens += tokens
        if self.parent is not None:
            self.parent.charge(tokens)


_ACTIVE: ContextVar[Budget | None] = ContextVar("teamgraph_budget", default=None)


def current_budget() -> Budget | None:
    """The budget of the run this code is part of, if any."""
    return _ACTIVE.get()


def activate(budget: Budget | None) -> Token[Budget | None]:
    """Make ``budget`` the one every model call in the current context charges."""
    return _ACTIVE.set(budget)


def deactivate(token: Token[Budget | None]) -> None:
    """Undo the :func:`activate` that returned ``token``."""
    _ACTIVE.reset(token)


@contextmanager
def active_budget(budget: Budget | None) -> Iterator[Budget | None]:
    """Make ``budget`` the one every model call in this context charges."""
    token = activate(budget)
    try:
        yield budget
    finally:
        deactivate(token)
