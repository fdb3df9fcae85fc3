"""Title matching: the articles whose exact title occurs in the query.

An entity-centric corpus (an encyclopedia) answers "What is the capital of India?" best
from the article "India"; dense and BM25 rankings prefer "Delhi". Looking up every
word n-gram of the query among the titles finds the entity itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tools.bm25 import STOPWORDS

WORD = re.compile(r"[a-z0-9]+")
MAX_TITLE_WORDS = 6


def normalise(text: str) -> str:
    """Lower-case words joined by single spaces."""
    return " ".join(WORD.findall(text.lower()))


class TitleIndex:
    """Maps normalised titles to ids; ``search`` returns ids of titles found in a query."""

    def __init__(self, titles: Iterable[tuple[str, str]]) -> None:
        """Index ``(id, title)`` pairs (the first id wins for a repeated title)."""
        self._ids: dict[str, str] = {}
        for item_id, title in titles:
            self._ids.setdefault(normalise(title), item_id)

    def search(self, query: str) -> list[str]:
        """Ids whose title is a word n-gram of ``query``, longest titles first."""
        words = WORD.findall(query.lower())
        found: list[str] = []
        for size in range(min(MAX_TITLE_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if all(word in STOPWORDS for word in gram):
                    continue
                item_id = self._ids.get(" ".join(gram))
                if item_id is not None and item_id not in found:
                    found.append(item_id)
        return found
