"""The ``knowledge_base`` tool: retrieval over the user's ingested documents."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from tools.knowledge_store import KnowledgeStore, Passage, find_store, no_collection
from tools.sources import Source
from tools.tool_addressing import mark

RESULTS = 4
MIN_SIMILARITY = 0.3


def passage_source(passage: Passage) -> Source:
    """The citable source of a retrieved passage."""
    metadata = passage.metadata
    return Source(
        kind="file",
        title=str(metadata.get("title", "")),
        path=str(metadata.get("source", "")),
        location=str(metadata.get("location", "")),
        chunk_id=passage.id,
        origin="knowledge base",
        snippet=passage.text,
    )


def make_knowledge_base_tool(store: KnowledgeStore | str) -> BaseTool:
    """The ``knowledge_base`` tool over ``store`` (hybrid BM25 + dense retrieval).

    ``store`` may be a collection's name: the collection is opened at a search, once it
    exists (one that does not is never made; the search says it is not there).
    """
    opened = [store] if isinstance(store, KnowledgeStore) else []

    @tool(response_format="content_and_artifact")
    def knowledge_base(query: str) -> tuple[str, list[Source]]:
        """Search the user's own documents (the ingested knowledge base).

        Give a focused query. Returns passages with their file, page or section and
        chunk id.
        """
        if not opened and (found := find_store(str(store))) is not None:
            opened.append(found)
        if not opened:
            return f"The knowledge base holds nothing: {no_collection(str(store))}.", []
        passages = opened[0].search(query, k=RESULTS, min_similarity=MIN_SIMILARITY)
        if not passages:
            return f"No passage in the knowledge base matches {query!r}.", []
        sources = [passage_source(p) for p in passages]
        body = "\n\n".join(
            f"{s['title']}{', ' + s['location'] if s.get('location') else ''} "
            f"(chunk {s['chunk_id']}):\n{s['snippet']}"
            for s in sources
        )
        return body, sources

    return mark(knowledge_base, retrieval=True, origin="built-in")
