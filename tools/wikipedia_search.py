"""The ``wikipedia`` tool: Wikipedia online, or the offline corpus when that fails.

Online lookups run with a timeout; after a network failure the tool stays offline for
a while, so a machine without network answers at once from the offline corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.tools import BaseTool, tool

from tools.kernel.offline import is_offline
from tools.sources import Source
from tools.tool_addressing import mark
from tools.wiki_corpus import WikipediaCorpus

ONLINE_TIMEOUT_S = 8.0
OFFLINE_AFTER_FAILURE_S = 300.0
RESULTS = 3
SNIPPET_CHARS = 700

OnlineSearch = Callable[[str, int], list[Source]]


def wikipedia_online(query: str, results: int) -> list[Source]:
    """Search Wikipedia with the ``wikipedia`` package; raises on any network problem."""
    import wikipedia as wiki

    sources: list[Source] = []
    for title in wiki.search(query, results=results):
        try:
            page = wiki.page(title, auto_suggest=False)
        except (wiki.DisambiguationError, wiki.PageError):
            continue
        sources.append(
            Source(
                kind="wikipedia",
                title=page.title,
                url=page.url,
                origin="Wikipedia online",
                snippet=page.summary[:SNIPPET_CHARS],
            )
        )
    return sources


class WikipediaLookup:
    """Online first (unless offline is forced or recently failed), then the offline corpus."""

    def __init__(
        self,
        corpus: WikipediaCorpus | None = None,
        online: OnlineSearch | None = wikipedia_online,
        timeout_s: float = ONLINE_TIMEOUT_S,
    ) -> None:
        """``online=None`` or ``TEAMGRAPH_OFFLINE=1`` means offline only."""
        self.corpus = corpus or WikipediaCorpus()
        self.online = online
        self.timeout_s = timeout_s
        self._offline_until = 0.0
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wikipedia")

    def _online_enabled(self) -> bool:
        return self.online is not None and not is_offline() and time.time() >= self._offline_until

    def lookup(self, query: str) -> tuple[list[Source], str]:
        """Sources for ``query`` and a note on which backend answered and why."""
        note = ""
        if self._online_enabled():
            assert self.online is not None
            future = self._pool.submit(self.online, query, RESULTS)
            try:
                sources = future.result(timeout=self.timeout_s)
                if sources:
                    return sources, "Wikipedia online"
                note = "Wikipedia online found nothing; "
            except FutureTimeout:
                note = f"Wikipedia online timed out after {self.timeout_s:.0f}s; "
                self._offline_until = time.time() + OFFLINE_AFTER_FAILURE_S
            except Exception as error:
                note = f"Wikipedia online unavailable ({type(error).__name__}); "
                self._offline_until = time.time() + OFFLINE_AFTER_FAILURE_S
        articles = self.corpus.search(query, k=RESULTS)
        sources = [
            Source(
                kind="wikipedia",
                title=a.title,
                url=a.url,
                origin="offline corpus",
                snippet=a.extract[:SNIPPET_CHARS],
            )
            for a in articles
        ]
        return sources, note + "answered from the offline Wikipedia corpus"


def make_wikipedia_tool(lookup: WikipediaLookup | None = None) -> BaseTool:
    """The ``wikipedia`` tool over ``lookup`` (default: online, then offline corpus)."""
    backend = lookup or WikipediaLookup()

    @tool(response_format="content_and_artifact")
    def wikipedia(query: str) -> tuple[str, list[Source]]:
        """Look up people, places, events and concepts in Wikipedia.

        Give a short topic or name, e.g. "Marie Curie" or "2010 FIFA World Cup".
        Returns the lead paragraphs of the best-matching articles with titles and URLs.
        """
        sources, note = backend.lookup(query)
        if not sources:
            return f"No Wikipedia article found for {query!r} ({note}).", []
        body = "\n\n".join(
            f"{s['title']} ({s.get('url', '')}):\n{s.get('snippet', '')}" for s in sources
        )
        return f"[{note}]\n{body}", sources

    return mark(wikipedia, retrieval=True, origin="built-in")
