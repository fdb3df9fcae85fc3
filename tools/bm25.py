"""A small BM25 index over an inverted file, scored with numpy (fast at 100k chunks)."""

from __future__ import annotations

import hashlib
import math
import mmap
import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from tools.tokens import tokenize

GROUP = 64
"""Documents per group when the best are picked through group maxima."""


def term_key(term: str) -> int:
    """A term's 64-bit key (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


def find_key(keys: memoryview, key: int) -> int | None:
    """Where ``key`` is in the sorted ``keys``, or None.

    A bisection over a memoryview of the keys array: a few Python ints compared, with no
    numpy call (and no numpy scalar) per lookup.
    """
    index = bisect_left(keys, key)
    return index if index < len(keys) and keys[index] == key else None


class BM25Index:
    """Okapi BM25 over a fixed list of documents; ``search`` returns (position, score).

    Held as four arrays (term keys in order, where each term's postings start, the
    postings' documents and their precomputed weights), so it is saved and loaded as is.
    """

    ARRAYS = ("keys", "starts", "docs", "weights")

    def __init__(self, arrays: dict[str, np.ndarray], size: int) -> None:
        """An index over ``size`` documents from its arrays (see :meth:`build`)."""
        self.size = size
        self._keys = arrays["keys"]
        self._starts = arrays["starts"]
        self._docs = arrays["docs"]
        self._weights = arrays["weights"]
        self._key_view = self._keys.data
        self._start_view = self._starts.data
        self._scores: np.ndarray | None = None
        self._scores_lock = threading.Lock()

    @classmethod
    def build(cls, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        """Index ``documents`` (positions in this list identify them)."""
        size = len(documents)
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(size, dtype=np.float32)
        for position, text in enumerate(documents):
            counts = Counter(tokenize(text))
            lengths[position] = sum(counts.values())
            for term, count in counts.items():
                postings[term].append((position, count))
        average = float(lengths.mean()) if size else 0.0
        norm = k1 * (1 - b + b * lengths / (average or 1.0))
        keyed = sorted((term_key(term), entries) for term, entries in postings.items())
        starts = np.zeros(len(keyed) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(entries) for _, entries in keyed])
        docs = np.empty(int(starts[-1]), dtype=np.int32)
        weights = np.empty(int(starts[-1]), dtype=np.float32)
        for index, (_, entries) in enumerate(keyed):
            at = slice(int(starts[index]), int(starts[index + 1]))
            found = np.fromiter((d for d, _ in entries), dtype=np.int32, count=len(entries))
            tf = np.fromiter((c for _, c in entries), dtype=np.float32, count=len(entries))
            idf = math.log(1 + (size - len(entries) + 0.5) / (len(entries) + 0.5))
            docs[at] = found
            weights[at] = idf * tf * (k1 + 1) / (tf + norm[found])
        keys = np.fromiter((key for key, _ in keyed), dtype=np.uint64, count=len(keyed))
        return cls({"keys": keys, "starts": starts, "docs": docs, "weights": weights}, size)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`__init__` takes back (to save the index)."""
        return {
            "keys": self._keys,
            "starts": self._starts,
            "docs": self._docs,
            "weights": self._weights,
        }

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        index = find_key(self._key_view, term_key(term))
        if index is None:
            return None
        start, end = self._start_view[index], self._start_view[index + 1]
        return self._docs[start:end], self._weights[start:end]

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` best documents for ``query``, best first; empty if no term matches.

        Scores are added into one buffer kept with the index (a search that finds it in
        use by another thread takes a new one).
        """
        found = [p for term in set(tokenize(query)) if (p := self._postings(term)) is not None]
        if not found or self.size == 0 or k <= 0:
            return []
        k = min(k, self.size)
        if not self._scores_lock.acquire(blocking=False):
            return self._best(found, k, np.zeros(self._scores_length, dtype=np.float32))
        try:
            if self._scores is None:
                self._scores = zeros_mapped(self._scores_length)
            else:
                self._scores.fill(0)
            return self._best(found, k, self._scores)
        finally:
            self._scores_lock.release()

    GROUPED_FROM = 32_768
    """Indexes of this many documents or more pick their best through group maxima."""

    @property
    def _scores_length(self) -> int:
        """Room for every document's score, in whole groups if the best are picked by group."""
        return self.size if self.size < self.GROUPED_FROM else -(-self.size // GROUP) * GROUP

    def _best(
        self, found: list[tuple[np.ndarray, np.ndarray]], k: int, scores: np.ndarray
    ) -> list[tuple[int, float]]:
        """Add the postings ``found`` into ``scores`` (all zero) and pick the ``k`` best."""
        for docs, weights in found:
            np.add.at(scores, docs, weights)
        if self.size < self.GROUPED_FROM:
            return _best_of_all(scores, k)
        return _best_of_groups(scores.reshape(GROUP, -1), k)


def zeros_mapped(length: int) -> np.ndarray:
    """``length`` float32 zeros; a large buffer's memory is mapped in one call, not page by page.

    A new process's first search would otherwise stop at every page of its scores as it
    first writes them (about 100 pages at 100k documents). A small buffer, or a system
    that cannot map memory ahead (no ``MAP_POPULATE``), gets plain zeros.
    """
    populate = getattr(mmap, "MAP_POPULATE", None)
    if populate is None or length * 4 < MAPPED_FROM_BYTES:
        return np.zeros(length, dtype=np.float32)
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate
    return np.frombuffer(mmap.mmap(-1, length * 4, flags=flags), dtype=np.float32)


MAPPED_FROM_BYTES = 256 * 1024
"""Below this, mapping a buffer costs more than the pages it saves from faulting."""


def _best_of_all(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` highest positive scores, best first (``scores`` is overwritten)."""
    return _ranked(*_highest(scores, k))


def _best_of_groups(groups: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` highest positive scores of ``groups`` (document ``row * columns + column``).

    The ``k`` columns with the highest maxima hold a best ``k``: between them they hold
    ``k`` documents scoring at least the lowest of those maxima, and a document of any
    other column scores at most its own column's maximum, which is no higher. So only
    ``k`` columns are ranked, and no array as long as the index is made but the scores.
    """
    rows, columns = groups.shape
    chosen, _ = _highest(np.maximum.reduce(groups, axis=0), min(k, columns))
    if not chosen:
        return []
    kept = len(chosen)
    top, scores = _highest(groups.take(chosen, axis=1).ravel(), k)
    return _ranked([(i // kept) * columns + chosen[i % kept] for i in top], scores)


FEW = 8
"""Up to this many best are picked one by one, more are selected together."""


def _highest(values: np.ndarray, k: int) -> tuple[list[int], list[float]]:
    """Where the ``k`` highest positive ``values`` are, and those values, in no set order.

    Fewer if fewer are positive; ``values`` is overwritten. A few are picked one by one,
    each by ``argmax`` (a pass of a microsecond or so, and nothing more for a new process
    to load). More are selected with ``argpartition`` from the bottom of the negated
    array: from the top of an array that is mostly zeros it is many times slower in numpy.
    """
    k = min(k, len(values))
    if k <= FEW:
        return _picked_one_by_one(values, k)
    top = np.argpartition(np.negative(values, out=values), k - 1)[:k]
    negated = values[top].tolist()
    found = [(at, -score) for at, score in zip(top.tolist(), negated, strict=True) if score < 0]
    return [at for at, _ in found], [score for _, score in found]


def _picked_one_by_one(values: np.ndarray, k: int) -> tuple[list[int], list[float]]:
    """The ``k`` highest positive ``values``, best first, each set to zero once picked."""
    positions: list[int] = []
    scores: list[float] = []
    for _ in range(k):
        at = int(values.argmax())
        score = float(values[at])
        if score <= 0:
            break
        positions.append(at)
        scores.append(score)
        values[at] = 0
    return positions, scores


def _ranked(positions: list[int], scores: list[float]) -> list[tuple[int, float]]:
    """The ``positions`` with their ``scores``, best first."""
    hits = list(zip(positions, scores, strict=True))
    hits.sort(key=lambda hit: -hit[1])
    return hits


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None
) -> list[str]:
    """Fuse ranked id lists: score(id) = sum over lists of weight / (k + rank) (weights 1)."""
    scores: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


def fuse_weighted(rankings: Sequence[tuple[float, Callable[[], Sequence[str]]]]) -> list[str]:
    """RRF of the rankings whose weight is above zero, each made only then (one is kept as is).

    ``rankings`` pairs a weight with what makes that ranking, in the order they are made.
    """
    counted = [(weight, make) for weight, make in rankings if weight > 0]
    made = [list(make()) for _, make in counted]
    if len(made) == 1:
        return made[0]
    return reciprocal_rank_fusion(made, weights=[weight for weight, _ in counted])
