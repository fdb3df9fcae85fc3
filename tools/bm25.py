"""A small BM25 index over an inverted file, scored with numpy (fast at 100k chunks)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have he her his how i in is it its "
    "of on or she that the their them they this to was were what when where which who whom "
    "whose why will with you your".split()
)


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed and a final -e (bees -> bee)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, lightly stemmed word tokens without stopwords."""
    return [stem(token) for token in TOKEN.findall(text.lower()) if token not in STOPWORDS]


class BM25Index:
    """Okapi BM25 over a fixed list of documents; ``search`` returns (position, score)."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        """Index ``documents`` (positions in this list identify them)."""
        self.size = len(documents)
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(self.size, dtype=np.float32)
        for position, text in enumerate(documents):
            counts = Counter(tokenize(text))
            lengths[position] = sum(counts.values())
            for term, count in counts.items():
                postings[term].append((position, count))
        average = float(lengths.mean()) if self.size else 0.0
        norm = k1 * (1 - b + b * lengths / (average or 1.0))
        self._terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, entries in postings.items():
            docs = np.fromiter((d for d, _ in entries), dtype=np.int32, count=len(entries))
            tf = np.fromiter((c for _, c in entries), dtype=np.float32, count=len(entries))
            idf = math.log(1 + (self.size - len(entries) + 0.5) / (len(entries) + 0.5))
            self._terms[term] = (docs, (idf * tf * (k1 + 1) / (tf + norm[docs])).astype(np.float32))

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` best documents for ``query``, best first; empty if no term matches."""
        scores = np.zeros(self.size, dtype=np.float32)
        matched = False
        for term in set(tokenize(query)):
            if term in self._terms:
                docs, weights = self._terms[term]
                scores[docs] += weights
                matched = True
        if not matched or self.size == 0:
            return []
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[str]:
    """Fuse ranked id lists: score(id) = sum over lists of 1 / (k + rank)."""
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])
