"""The knowledge base: chunks in a persistent Chroma collection, hybrid retrieval.

Dense vectors come from the configured embeddings (offline MiniLM by default); BM25 is
built from the collection's documents when the collection changes, and saved, so other
processes load it (see :mod:`tools.collection_index`).
The two rankings are fused by reciprocal rank.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tools.bm25 import fuse_weighted
from tools.chroma_server import chroma_url, server_client
from tools.collection_index import CollectionIndex
from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.home import FULL_DISK_ERRNOS as FULL
from tools.kernel.home import full_disk, home_path, teamgraph_home
from tools.kernel.spelling import closest, did_you_mean

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

DEFAULT_COLLECTION = "docs"
COLLECTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$")
IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
CANDIDATES = 50
PAGE = 5000
SearchMode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Chunk:
    """A piece of a document ready to be stored."""

    id: str
    text: str
    metadata: dict[str, str | int]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its metadata."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def complete_versions(versions: dict[str, tuple[int, int]]) -> list[str]:
    """The content hashes among ``versions`` whose chunks are all stored."""
    return [key for key, (stored, expected) in versions.items() if stored >= expected]


def check_collection_name(name: str) -> str:
    """Return ``name`` if Chroma accepts it, else raise a clear InputError."""
    if not COLLECTION_NAME.match(name) or ".." in name or IPV4.match(name):
        raise InputError(
            f"Collection name {name!r} is not valid: use 3-512 letters, digits, '.', '_' or "
            "'-', starting and ending with a letter or digit, without '..', and not an IP "
            "address."
        )
    return name


DAMAGED = ("malformed", "not a database")
"""What SQLite says of a file that is not (or no longer) a whole database."""

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def open_client(home: Path | None = None) -> Any:
    """The Chroma PersistentClient under ``home`` (default TEAMGRAPH_HOME), telemetry off.

    One client per folder per process: every store and thread shares it. Without ``home``,
    the Chroma server of TEAMGRAPH_CHROMA_URL when it is set.
    """
    import chromadb
    from chromadb.config import Settings

    url = None if home else chroma_url()
    if url:
        return server_client(url)
    path = str((home or teamgraph_home()) / "chroma")
    with _clients_lock:
        if path not in _clients:
            try:
                settings = Settings(anonymized_telemetry=False)
                _clients[path] = chromadb.PersistentClient(path=path, settings=settings)
            except Exception as error:
                if "disk is full" in str(error) or getattr(error, "errno", None) in FULL:
                    raise full_disk(path) from error
                if any(sign in str(error) for sign in DAMAGED):
                    raise TeamgraphError(
                        f"The knowledge base at {path} is damaged ({error}): move the folder "
                        "aside and ingest your files again, or set TEAMGRAPH_HOME to another "
                        "folder."
                    ) from error
                raise TeamgraphError(
                    f"Cannot open the knowledge base at {path}: {error}. Check the folder's "
                    "permissions, or set TEAMGRAPH_HOME to another folder."
                ) from error
        return _clients[path]


def knowledge_base_exists(home: Path | None = None) -> bool:
    """Whether a knowledge base may hold documents: a Chroma server, or one under ``home``.

    Opening an embedded store to learn that it is empty takes a second, so its file is looked
    for first.
    """
    if home is None and chroma_url():
        return True
    return ((home or teamgraph_home()) / "chroma" / "chroma.sqlite3").is_file()


def collection_names(home: Path | None = None) -> list[str]:
    """The collections of the knowledge base, sorted."""
    return sorted(str(getattr(c, "name", c)) for c in open_client(home).list_collections())


def find_store(name: str, home: Path | None = None) -> KnowledgeStore | None:
    """The store of collection ``name`` if the knowledge base has it, else None.

    Nothing is made to learn it: looking for a collection never creates it (or the
    knowledge base).
    """
    if not knowledge_base_exists(home) or name not in collection_names(home):
        return None
    return KnowledgeStore(name, home=home)


def no_collection(name: str, home: Path | None = None) -> str:
    """``there is no collection 'X'``, naming the closest one the knowledge base has."""
    known = collection_names(home) if knowledge_base_exists(home) else []
    return f"there is no collection {name!r}{did_you_mean(name, known)}"


def existing_collection(name: str, home: Path | None = None) -> str:
    """``name`` if the knowledge base has that collection, else a clear InputError."""
    check_collection_name(name)
    names = collection_names(home)
    if name not in names:
        listed = ", ".join(names) if names else "none yet"
        close = closest(name, names)
        meant = f"did you mean {close}? " if close else ""
        raise InputError(
            f"There is no collection {name!r} in the knowledge base ({meant}its collections: "
            f"{listed}); add documents with `teamgraph ingest PATH --collection {name}`."
        )
    return name


class KnowledgeStore:
    """One Chroma collection with its embeddings and a lazily built BM25 index."""

    def __init__(
        self,
        collection: str = DEFAULT_COLLECTION,
        *,
        home: Path | None = None,
        embeddings: Embeddings | None = None,
        client: Any = None,
    ) -> None:
        """Open (or create) ``collection``; embeddings default to the configured ones."""
        from tools.embeddings import embeddings_name

        self.name = check_collection_name(collection)
        self._home = home
        self._client = client or open_client(home)
        self._embeddings = embeddings
        self._embeddings_name = (
            getattr(embeddings, "name", type(embeddings).__name__)
            if embeddings
            else embeddings_name()
        )
        self._collection = self._client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embeddings": self._embeddings_name, "generation": 0},
        )
        self._bm25: tuple[int, CollectionIndex] | None = None
        self._count: tuple[int, int] | None = None
        self._lock = threading.Lock()
        stored = (self._collection.metadata or {}).get("embeddings")
        if stored and stored != self._embeddings_name and self.count() == 0:
            self._stamp_embeddings()
        elif stored and stored != self._embeddings_name:
            raise InputError(
                f"Collection {self.name!r} was built with embeddings {stored!r}, not "
                f"{self._embeddings_name!r}: use the same TEAMGRAPH_EMBEDDINGS, or another "
                "--collection."
            )

    @property
    def embeddings(self) -> Embeddings:
        """The embeddings (loaded on first use)."""
        from tools.embeddings import load_embeddings

        if self._embeddings is None:
            self._embeddings = load_embeddings(self._embeddings_name)
        return self._embeddings

    def count(self) -> int:
        """Number of chunks stored (cached until the collection changes)."""
        generation = self._generation()
        if self._count is None or self._count[0] != generation:
            self._count = (generation, int(self._collection.count()))
        return self._count[1]

    def _generation(self) -> int:
        return int((self._collection.metadata or {}).get("generation", 0))

    def _stamp_embeddings(self) -> None:
        """Mark the (empty) collection as made with this store's embeddings.

        A collection is stamped when it is made; one left empty, by a run whose embeddings
        could not load for instance, takes whichever embeddings fill it first.
        """
        self._set_metadata("embeddings", self._embeddings_name)

    def _bump_generation(self) -> None:
        self._set_metadata("generation", self._generation() + 1)

    def _set_metadata(self, key: str, value: str | int) -> None:
        """Set one key of the collection's metadata, keeping the others."""
        self._collection.modify(metadata={**(self._collection.metadata or {}), key: value})

    def file_hashes(self) -> dict[str, str]:
        """Source -> content hash of a version stored in full (any, if several are)."""
        return {
            source: next(iter(done))
            for source, versions in self.file_versions().items()
            if (done := complete_versions(versions))
        }

    def file_versions(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Source -> content hash -> (chunks stored, chunks the version has).

        A version is stored in full once every one of its chunks is in; one that a crash
        cut short has fewer (chunks written before versions were counted have no count and
        are taken as full).
        """
        versions: dict[str, dict[str, tuple[int, int]]] = {}
        for metadata in self._iterate("metadatas"):
            hashes = versions.setdefault(str(metadata["source"]), {})
            key = str(metadata.get("file_hash", ""))
            stored, _ = hashes.get(key, (0, 0))
            expected = int(metadata.get("chunk_count", 0) or 0)
            hashes[key] = (stored + 1, expected)
        return versions

    def _iterate(self, what: Literal["metadatas", "documents"]) -> Iterator[Any]:
        offset = 0
        while True:
            page = self._collection.get(include=[what], limit=PAGE, offset=offset)
            items = page[what] or []
            yield from items
            if len(items) < PAGE:
                return
            offset += PAGE

    def store_versions(self, versions: Sequence[tuple[str, str, Sequence[Chunk], bool]]) -> None:
        """Store one version of each source, then drop their other versions.

        ``versions`` holds ``(source, file_hash, chunks, others)``; ``others`` says whether
        other versions of the source are stored. Every chunk is embedded in one call and
        written in one upsert. An old version goes only once the new one is in full, so a
        crash at any moment leaves the old version whole or the new one (complete or
        short of chunks, which the next ingestion finishes).
        """
        chunks = [chunk for _, _, batch, _ in versions for chunk in batch]
        self.add(chunks, self._vectors([chunk.text for chunk in chunks]))
        for source, file_hash, _, others in versions:
            if others:
                self._drop(source, file_hash)
        if any(others for *_, others in versions):
            self._bump_generation()

    def _vectors(self, texts: list[str]) -> Any:
        """Embeddings of ``texts``: an array from the offline model, lists from others."""
        embed_array = getattr(self.embeddings, "embed_array", None)
        return (
            embed_array(texts) if callable(embed_array) else self.embeddings.embed_documents(texts)
        )

    def drop_other_versions(self, source: str, file_hash: str) -> None:
        """Delete the chunks of ``source`` that belong to another version than ``file_hash``."""
        self._drop(source, file_hash)
        self._bump_generation()

    def drop_sources(self, sources: Sequence[str]) -> None:
        """Delete every chunk of ``sources`` (files that are gone)."""
        if sources:
            self._collection.delete(where={"source": {"$in": list(sources)}})
            self._bump_generation()

    def _drop(self, source: str, file_hash: str) -> None:
        self._collection.delete(
            where={"$and": [{"source": source}, {"file_hash": {"$ne": file_hash}}]}
        )

    def add(self, chunks: Sequence[Chunk], vectors: Any) -> None:
        """Upsert chunks with precomputed vectors (bulk loading)."""
        for start in range(0, len(chunks), PAGE):
            batch = chunks[start : start + PAGE]
            self._collection.upsert(
                ids=[chunk.id for chunk in batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[chunk.metadata for chunk in batch],
                embeddings=vectors[start : start + PAGE],
            )
        self._bump_generation()

    def _bm25_index(self) -> CollectionIndex:
        generation = self._generation()
        with self._lock:
            if self._bm25 is None or self._bm25[0] != generation:
                self._bm25 = (generation, self._saved_bm25(generation))
            return self._bm25[1]

    def _saved_bm25(self, generation: int) -> CollectionIndex:
        """The BM25 index saved for this generation of the collection, else built and saved."""
        key: dict[str, object] = {
            "collection": str(self._collection.id),
            "generation": generation,
            "count": self.count(),
        }
        folder = (self._home or home_path()) / "indexes" / "collections" / self.name
        found = CollectionIndex.load(folder, key)
        if found is not None:
            return found
        ids: list[str] = []
        texts: list[str] = []
        offset = 0
        while True:
            page = self._collection.get(include=["documents"], limit=PAGE, offset=offset)
            ids.extend(page["ids"])
            texts.extend(page["documents"] or [])
            if len(page["ids"]) < PAGE:
                break
            offset += PAGE
        built = CollectionIndex.build(ids, texts)
        built.save(folder, key)
        return built

    def dense_ids(self, query: str, k: int, min_similarity: float | None = None) -> list[str]:
        """Ids of the ``k`` nearest chunks by embedding, optionally above a cosine similarity."""
        if self.count() == 0:
            return []
        vector = self.embeddings.embed_query(query)
        result = self._collection.query(
            query_embeddings=[vector], n_results=k, include=["distances"]
        )
        pairs = zip(result["ids"][0], (result["distances"] or [[]])[0], strict=False)
        return [i for i, d in pairs if min_similarity is None or 1 - d >= min_similarity]

    def bm25_ids(self, query: str, k: int) -> list[str]:
        """Ids of the ``k`` best chunks by BM25."""
        return self._bm25_index().search(query, k)

    def search(
        self,
        query: str,
        k: int = 5,
        mode: SearchMode = "hybrid",
        min_similarity: float | None = None,
    ) -> list[Passage]:
        """The ``k`` best passages for ``query``: dense, BM25, or both fused (default).

        ``min_similarity`` drops dense candidates below that cosine similarity; BM25
        candidates always share a query term. Fused, dense candidates weigh as much of
        the query as the embeddings can read: the offline MiniLM reads English, so a
        Chinese query is ranked by BM25 alone (its vectors of Chinese are noise).
        """
        if mode == "dense":
            ranked = self.dense_ids(query, k, min_similarity)
        elif mode == "bm25":
            ranked = self.bm25_ids(query, k)
        else:
            ranked = self._fused_ids(query, min_similarity)[:k]
        return self.get(ranked)

    def reads(self, query: str) -> float:
        """How much of ``query`` the embeddings can read, 0 to 1 (see ``share_read``)."""
        from tools.embeddings import share_read

        return share_read(self._embeddings_name, query)

    def _fused_ids(self, query: str, min_similarity: float | None) -> list[str]:
        """Dense and BM25 candidates fused, dense weighed by how much of ``query`` it reads."""
        return fuse_weighted(
            [
                (self.reads(query), lambda: self.dense_ids(query, CANDIDATES, min_similarity)),
                (1.0, lambda: self.bm25_ids(query, CANDIDATES)),
            ]
        )

    def get(self, ids: Sequence[str]) -> list[Passage]:
        """Passages by id, in the order given."""
        if not ids:
            return []
        found = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            chunk_id: Passage(chunk_id, text or "", dict(metadata or {}))
            for chunk_id, text, metadata in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], strict=False
            )
        }
        return [by_id[chunk_id] for chunk_id in ids if chunk_id in by_id]
