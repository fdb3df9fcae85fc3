"""What a tool's observation came from, so answers can cite it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired

from typing_extensions import TypedDict


class Source(TypedDict):
    """One citable source returned by a tool."""

    kind: str
    """``web``, ``wikipedia`` or ``file``."""
    title: str
    """Page title or file name."""
    url: NotRequired[str]
    """Where it can be read (web pages, Wikipedia articles)."""
    path: NotRequired[str]
    """The file (knowledge-base passages)."""
    location: NotRequired[str]
    """Page or section within the file."""
    chunk_id: NotRequired[str]
    """The knowledge-base chunk the passage came from."""
    origin: NotRequired[str]
    """Which backend answered, e.g. ``online`` or ``offline corpus``."""
    snippet: NotRequired[str]
    """The passage text the observation showed."""


def source_key(source: Source) -> str:
    """Identity of a source for de-duplication: chunk id, else URL, else title."""
    return source.get("chunk_id") or source.get("url") or f"{source['kind']}:{source['title']}"


def citation_label(source: Mapping[str, Any]) -> str:
    """A one-line reference: title, then URL or file with page/section and chunk."""
    if source.get("url"):
        return f"{source['title']} — {source['url']}"
    parts = [source.get("path") or source["title"]]
    if source.get("location"):
        parts.append(str(source["location"]))
    if source.get("chunk_id"):
        parts.append(f"chunk {source['chunk_id']}")
    return ", ".join(parts)
