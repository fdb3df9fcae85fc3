"""Title matching: the articles whose exact title occurs in the query.

An entity-centric corpus (an encyclopedia) answers "What is the capital of India?" best
from the article "India"; dense and BM25 rankings prefer "Delhi". Looking up every
word n-gram of the query among the titles finds the entity itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tools.bm25 import find_key, term_key
from tools.tokens import STOPWORDS, words

MAX_TITLE_WORDS = 6


def normalise(text: str) -> str:
    """Lower-case words without accents joined by single spaces."""
    return " ".join(words(text))


class TitleIndex:
    """Finds the titles that occur in a query; ``search`` returns their positions.

    Held as two arrays (normalised titles' keys in order, and each one's position in the
    list of titles), so it is saved and loaded as is.
    """

    ARRAYS = ("keys", "positions")

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        """An index from its arrays (see :meth:`build`)."""
        self._keys = arrays["keys"]
        self._positions = arrays["positions"]
        self._key_view = self._keys.data
        self._position_view = self._positions.data

    @classmethod
    def build(cls, titles: Iterable[str]) -> TitleIndex:
        """Index ``titles`` by position (the first position wins for a repeated title)."""
        first: dict[int, int] = {}
        for position, title in enumerate(titles):
            first.setdefault(term_key(normalise(title)), position)
        keys = np.fromiter(sorted(first), dtype=np.uint64, count=len(first))
        positions = np.fromiter((first[int(k)] for k in keys), dtype=np.int32, count=len(keys))
        return cls({"keys": keys, "positions": positions})

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`__init__` takes back (to save the index)."""
        return {"keys": self._keys, "positions": self._positions}

    def _find(self, text: str) -> int | None:
        index = find_key(self._key_view, term_key(text))
        return None if index is None else self._position_view[index]

    def search(self, query: str) -> list[int]:
        """Positions of titles that are word n-grams of ``query``, longest titles first."""
        asked = words(query)
        found: list[int] = []
        for size in range(min(MAX_TITLE_WORDS, len(asked)), 0, -1):
            for start in range(len(asked) - size + 1):
                gram = asked[start : start + size]
                if all(word in STOPWORDS for word in gram):
                    continue
                position = self._find(" ".join(gram))
                if position is not None and position not in found:
                    found.append(position)
        return found
