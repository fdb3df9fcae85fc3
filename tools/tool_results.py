"""Whatever a tool returned, as observation text and citable sources; never an exception.

Our own tools return :class:`~tools.sources.Source` dicts as their artifact. Other tools
return anything: LangChain ``Document``s (retrievers), MCP structured content, content
blocks, plain objects. Documents and source-like dicts become sources; anything else is
kept as text. A retrieval tool whose result carries no source becomes one source itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool

from tools.sources import Source
from tools.tool_addressing import gives_sources, is_retrieval, origin

SNIPPET_CHARS = 1200
SOURCE_FIELDS = ("url", "path", "location", "chunk_id", "origin", "snippet")


@dataclass
class ToolResult:
    """One call's observation text, its citable sources, and whether it failed."""

    text: str
    sources: list[Source] = field(default_factory=list)
    error: bool = False


def read_result(result: Any, tool: BaseTool, call: ToolCall) -> ToolResult:
    """``result`` of ``tool.invoke(call)`` as text and sources."""
    if isinstance(result, ToolMessage):
        content, artifact, error = result.content, result.artifact, result.status == "error"
    else:
        content, artifact, error = result, None, False
    text = content_text(content)
    sources, leftover = artifact_sources(artifact)
    if not text.strip():
        text = leftover
    if not (sources or error or gives_sources(tool)) and text.strip() and is_retrieval(tool):
        sources = [text_source(tool, call, text)]
    return ToolResult(text, sources, error)


def content_text(content: Any) -> str:
    """A tool message's content (a string or content blocks) as plain text."""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        return "\n".join(_block_text(block) for block in content)
    return "" if content is None else str(content)


def _block_text(block: Any) -> str:
    if isinstance(block, str):
        return block
    if isinstance(block, Mapping):
        kind = block.get("type")
        if kind == "text":
            return str(block.get("text", ""))
        if kind in ("image", "file", "audio", "video"):
            where = block.get("url") or block.get("mime_type") or "inline data"
            return f"[{kind}: {where}]"
        return json.dumps(block, default=str)
    return str(block)


def artifact_sources(artifact: Any) -> tuple[list[Source], str]:
    """Sources found in ``artifact``, and the rest of it as text."""
    if artifact is None:
        return [], ""
    if isinstance(artifact, Mapping) and "structured_content" in artifact:
        return [], json.dumps(artifact["structured_content"], default=str)
    items = artifact if isinstance(artifact, list | tuple) else [artifact]
    sources: list[Source] = []
    rest: list[str] = []
    for item in items:
        source = as_source(item)
        if source is not None:
            sources.append(source)
        else:
            rest.append(item if isinstance(item, str) else json.dumps(item, default=str))
    return sources, "\n".join(rest)


def as_source(item: Any) -> Source | None:
    """A Source from a source-like dict or a LangChain Document (None for anything else)."""
    if isinstance(item, Document):
        return document_source(item)
    if not isinstance(item, Mapping):
        return None
    title = str(item.get("title") or item.get("url") or "").strip()
    if not title:
        return None
    source = Source(kind=str(item.get("kind") or "tool"), title=title)
    for key in SOURCE_FIELDS:
        if item.get(key):
            source[key] = str(item[key])  # type: ignore[literal-required]
    return source


def document_source(document: Document) -> Source:
    """A retriever's Document as a citable source (its metadata says where it came from)."""
    meta = document.metadata or {}
    where = str(meta.get("source") or meta.get("url") or "")
    text = document.page_content or ""
    title = str(meta.get("title") or where or text[:60] or "document").strip()
    source = Source(kind="document", title=title, snippet=text[:SNIPPET_CHARS])
    if where.startswith(("http://", "https://")):
        source["url"] = where
    elif where:
        source["path"] = where
    if meta.get("page") is not None:
        source["location"] = f"page {meta['page']}"
    source["chunk_id"] = str(document.id or hashlib.sha1(text.encode()).hexdigest()[:12])
    return source


def text_source(tool: BaseTool, call: ToolCall, text: str) -> Source:
    """A retrieval tool's plain-text observation as one citable source."""
    first = next(iter(call.get("args", {}).values()), "")
    return Source(
        kind="tool",
        title=f"{tool.name}: {str(first)[:80]}",
        origin=origin(tool),
        snippet=text[:SNIPPET_CHARS],
    )
