"""A knowledge-base collection's BM25 index, saved so a new process loads it.

Built from the collection's documents on the first search after a change, and saved in
``TEAMGRAPH_HOME/indexes/collections/NAME`` under the collection's id and generation
(which every write bumps); a process that finds it saved for the same id and generation
loads it memory-mapped instead of reading every document and indexing them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tools.bm25 import BM25Index
from tools.saved_index import load_arrays, save_arrays

NAMES = ("ids", *BM25Index.ARRAYS)


class CollectionIndex:
    """BM25 over a collection's chunks, answering with chunk ids."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """An index from its arrays (see :meth:`build`)."""
        self._arrays = arrays
        self._ids = arrays["ids"]
        self._bm25 = BM25Index(arrays, len(arrays["ids"]))

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> CollectionIndex:
        """Index ``texts``, the documents of the chunks ``ids``."""
        id_array = np.array([i.encode() for i in ids], dtype=bytes)
        return cls({"ids": id_array, **BM25Index.build(texts).arrays})

    @classmethod
    def load(cls, folder: Path, key: dict[str, object]) -> CollectionIndex | None:
        """The index saved in ``folder`` for ``key``, memory-mapped; None if there is none."""
        arrays = load_arrays(folder, key, NAMES)
        return cls(arrays) if arrays is not None else None

    def save(self, folder: Path, key: dict[str, object]) -> bool:
        """Save the index in ``folder`` for ``key`` (False if the folder cannot be written)."""
        return save_arrays(folder, key, self._arrays)

    def search(self, query: str, k: int) -> list[str]:
        """Ids of the ``k`` best chunks for ``query``, best first."""
        return [bytes(self._ids[i]).decode() for i, _ in self._bm25.search(query, k)]
