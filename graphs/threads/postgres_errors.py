"""PostgreSQL failures in one line each: what went wrong, with the URL's password hidden."""

from __future__ import annotations

from urllib.parse import urlsplit

from tools.kernel.errors import TeamgraphError, unstopped
from tools.kernel.urls import masked, scrubbed

UNREACHABLE = (
    "connection refused",
    "could not translate host name",
    "name or service not known",
    "no route to host",
    "timeout expired",
    "network is unreachable",
    "could not connect",
    "no such file or directory",
)
REFUSED_LOGIN = ("password authentication failed", "no password supplied", "role ")


class DatabaseError(TeamgraphError):
    """The threads' database cannot be reached or used."""


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` comes from the PostgreSQL driver or its connection pool."""
    return type(error).__module__.split(".")[0] in ("psycopg", "psycopg_pool")


def _detail(error: BaseException, url: str) -> str:
    """The driver's own reason, without its preamble (``connection to server ... failed:``)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0].rsplit("failed: ", 1)[-1] if lines else type(error).__name__
    return scrubbed(unstopped(text.replace("FATAL:", "")), url)


def connection_error(url: str, error: BaseException, source: str) -> DatabaseError:
    """Why a connection to ``url`` failed, and what to fix (``source`` names the setting)."""
    text = str(error).lower()
    detail = _detail(error, url)
    parts = urlsplit(url)
    where = masked(url)
    database = parts.path.strip("/")
    if "database" in text and "does not exist" in text:
        return DatabaseError(
            f"There is no database {database!r} on {parts.hostname}:{parts.port or 5432}: "
            f"create it (CREATE DATABASE {database}) or fix {source} ({where})."
        )
    if any(words in text for words in REFUSED_LOGIN):
        return DatabaseError(
            f"PostgreSQL refused the user or password of {where} ({detail}): fix {source}."
        )
    if any(words in text for words in UNREACHABLE):
        return DatabaseError(
            f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432} ({detail}): "
            f"start it, or fix the host and port of {source} ({where})."
        )
    return DatabaseError(f"Cannot use the database {where}: {detail}.")


def lost_database(url: str, error: BaseException, thread: str | None) -> DatabaseError:
    """The database stopped answering while a run was saving to it."""
    then = (
        f"once it answers again, `teamgraph resume --thread {thread}` goes on from there"
        if thread
        else "run it again once the database answers"
    )
    return DatabaseError(
        f"The database {masked(url)} stopped answering during the run "
        f"({_detail(error, url)}). Every step saved before that is kept; {then}."
    )
