"""The offline corpus's lexical index: BM25, titles, and every article's fields, saved.

Built once from the corpus file and saved in ``TEAMGRAPH_HOME/indexes/wikipedia-offline``
(keyed by the file's path, size and time); every later process loads it memory-mapped,
so its first search reads a few pages instead of parsing 10,033 articles and indexing
them again. An article's fields are kept as one JSON line each in a byte array, decoded
only for the articles a search returns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.bm25 import BM25Index
from tools.saved_index import load_arrays, save_arrays
from tools.title_match import TitleIndex

FIELDS = ("ids", "id_order", "lines", "line_starts")
BM25 = "bm25_"
TITLES = "titles_"


class CorpusIndex:
    """BM25 and title indexes over the articles, their ids, and their fields by position."""

    NAMES = (
        *FIELDS,
        *(BM25 + name for name in BM25Index.ARRAYS),
        *(TITLES + name for name in TitleIndex.ARRAYS),
    )

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """An index from its arrays (see :meth:`build`)."""
        self._arrays = arrays
        self.size = len(arrays["ids"])
        self.bm25 = BM25Index(_part(arrays, BM25), self.size)
        self.titles = TitleIndex(_part(arrays, TITLES))

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        titles: Sequence[str],
        texts: Sequence[str],
        fields: Sequence[list[str]],
    ) -> CorpusIndex:
        """Index articles given as parallel lists: ids, titles, indexed texts, their fields."""
        lines = [json.dumps(f, ensure_ascii=False).encode() for f in fields]
        starts = np.zeros(len(lines) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(line) for line in lines])
        id_array = np.array([i.encode() for i in ids], dtype=bytes)
        arrays = {
            "ids": id_array,
            "id_order": np.argsort(id_array, kind="stable").astype(np.int32),
            "lines": np.frombuffer(b"".join(lines), dtype=np.uint8),
            "line_starts": starts,
            **{BM25 + k: v for k, v in BM25Index.build(texts).arrays.items()},
            **{TITLES + k: v for k, v in TitleIndex.build(titles).arrays.items()},
        }
        return cls(arrays)

    @classmethod
    def load(cls, folder: Path, key: dict[str, object]) -> CorpusIndex | None:
        """The index saved in ``folder`` for ``key``, memory-mapped; None if there is none."""
        arrays = load_arrays(folder, key, cls.NAMES)
        return cls(arrays) if arrays is not None else None

    def save(self, folder: Path, key: dict[str, object]) -> bool:
        """Save the index in ``folder`` for ``key`` (False if the folder cannot be written)."""
        return save_arrays(folder, key, self._arrays)

    def id(self, position: int) -> str:
        """The id of the article at ``position``."""
        return bytes(self._arrays["ids"][position]).decode()

    def position(self, article_id: str) -> int | None:
        """The position of the article with ``article_id``, or None."""
        ids, order = self._arrays["ids"], self._arrays["id_order"]
        wanted = article_id.encode()
        at = int(np.searchsorted(ids, wanted, sorter=order))
        if at < len(order) and bytes(ids[order[at]]) == wanted:
            return int(order[at])
        return None

    def fields(self, position: int) -> list[str]:
        """The fields the article at ``position`` was saved with."""
        starts = self._arrays["line_starts"]
        line = self._arrays["lines"][int(starts[position]) : int(starts[position + 1])]
        fields: list[str] = json.loads(bytes(line).decode())
        return fields


def _part(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
