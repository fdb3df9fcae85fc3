"""Typed exceptions raised by teamgraph, each carrying a message that says what to do."""

from typing import Any

from pydantic import ValidationError


class TeamgraphError(RuntimeError):
    """Base class of every error teamgraph raises on purpose.

    A RuntimeError, so an Agent Server (LangGraph Studio, ``langgraph dev``) passes its
    message on to the client, where it hides the message of an exception of no built-in
    kind as "An internal error occurred".
    """

    next_step = ""
    """What to do next, learnt where the error was caught (the command resuming a run)."""

    def said(self) -> str:
        """The message, then what to do next."""
        return f"{self} {self.next_step}" if self.next_step else str(self)


def unstopped(text: str) -> str:
    """``text`` without surrounding spaces and its closing full stops (to end it in a sentence)."""
    return text.strip().rstrip(".")


def kind_and_reason(error: BaseException) -> str:
    """``error`` as ``Kind: reason`` (the kind alone if it says nothing), no closing full stop."""
    reason = unstopped(str(error))
    return f"{type(error).__name__}: {reason}" if reason else type(error).__name__


class ModelConfigError(TeamgraphError):
    """A model setting cannot be used: unknown provider, missing package or API key."""


class LocalModelError(TeamgraphError):
    """The embedded local model server cannot start or answer."""


class InputError(TeamgraphError):
    """The request itself is unusable (for example an empty topic)."""


class ModelCallError(TeamgraphError):
    """A model call failed at run time (timeout, refused connection, provider error)."""


class BudgetExceeded(TeamgraphError):
    """A run reached one of its limits; ``limit`` names which, ``ledger`` whose call it refused."""

    def __init__(self, limit: str, message: str) -> None:
        """Record the limit's name with the message."""
        super().__init__(message)
        self.limit = limit
        self.ledger: Any = None


def validation_problems(error: ValidationError, whole: str) -> str:
    """Each problem of ``error`` as ``field.path: message`` (``whole`` names the root)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or whole}: {item['msg']}"
        for item in error.errors()
    )


class TeamFileError(InputError):
    """A team file cannot be used; the message names the file, the line and the key."""
