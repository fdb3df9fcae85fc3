"""Which database keeps the threads: ``TEAMGRAPH_CHECKPOINT_URL``, else SQLite in TEAMGRAPH_HOME."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from tools.kernel.errors import InputError
from tools.kernel.urls import masked

CHECKPOINT_URL_ENV = "TEAMGRAPH_CHECKPOINT_URL"
SCHEMES = ("postgresql", "postgres")
EXAMPLE = "postgresql://user:password@host:5432/teamgraph"


def checkpoint_url() -> str | None:
    """The PostgreSQL URL threads are kept in, or None for the SQLite file (the default)."""
    url = os.environ.get(CHECKPOINT_URL_ENV, "").strip()
    return checked_url(url) if url else None


def checked_url(url: str, source: str = CHECKPOINT_URL_ENV) -> str:
    """``url`` if it is a usable PostgreSQL URL, else one line saying what is wrong."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError as error:
        raise InputError(f"{source} is not a valid URL ({error}): e.g. {EXAMPLE}.") from None
    if parts.scheme not in SCHEMES:
        raise InputError(
            f"{source} must be a PostgreSQL URL such as {EXAMPLE} (got {masked(url)!r}); "
            f"unset it to keep threads in SQLite."
        )
    if not parts.path.strip("/"):
        raise InputError(f"{source} names no database ({masked(url)}): e.g. {EXAMPLE}.")
    return url
