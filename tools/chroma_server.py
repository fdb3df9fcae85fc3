"""The knowledge base on a Chroma server (``chroma run``), named by ``TEAMGRAPH_CHROMA_URL``.

Unset, the knowledge base is the embedded Chroma folder in TEAMGRAPH_HOME. A user and
password in the URL are sent as HTTP basic authentication (for a server behind a proxy
that asks for it) and never printed.
"""

from __future__ import annotations

import base64
import os
import threading
from typing import Any
from urllib.parse import unquote

from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.urls import NotHttpUrl, http_url_parts, masked, scrubbed

CHROMA_URL_ENV = "TEAMGRAPH_CHROMA_URL"
EXAMPLE = "http://vectors:8000"

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def chroma_url() -> str | None:
    """The Chroma server's URL, or None for the embedded store (the default)."""
    return os.environ.get(CHROMA_URL_ENV, "").strip() or None


def _headers(user: str | None, password: str | None) -> dict[str, str] | None:
    if not user:
        return None
    token = base64.b64encode(f"{unquote(user)}:{unquote(password or '')}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def server_client(url: str) -> Any:
    """The Chroma HttpClient of ``url`` (one per process), after a heartbeat answered."""
    import chromadb
    from chromadb.config import Settings

    with _clients_lock:
        if url in _clients:
            return _clients[url]
        try:
            parts = http_url_parts(url)
        except NotHttpUrl:
            raise InputError(
                f"{CHROMA_URL_ENV} must be an http:// or https:// URL such as {EXAMPLE} (got "
                f"{masked(url)!r}); unset it to keep the knowledge base in TEAMGRAPH_HOME."
            ) from None
        except ValueError as error:
            raise InputError(f"{CHROMA_URL_ENV} is not a valid URL ({error}).") from None
        port, host = parts.port, parts.hostname
        assert host is not None
        ssl = parts.scheme == "https"
        try:
            client = chromadb.HttpClient(
                host=host,
                port=port or (443 if ssl else 8000),
                ssl=ssl,
                headers=_headers(parts.username, parts.password),
                settings=Settings(anonymized_telemetry=False),
            )
            client.heartbeat()
        except Exception as error:
            raise TeamgraphError(
                f"Cannot use the Chroma server at {masked(url)} ({scrubbed(str(error), url)}): "
                f"start it (chroma run --path DIR --host 0.0.0.0 --port 8000), fix "
                f"{CHROMA_URL_ENV}, or unset it to use the embedded store."
            ) from None
        _clients[url] = client
        return client
