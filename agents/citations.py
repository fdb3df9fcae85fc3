"""Which sources an answer cites: its ``[n]`` markers, else the sources it draws on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.bm25 import tokenize
from tools.sources import Source

CITATION = re.compile(r"\[(\d{1,3})\]")
MIN_SHARED_WORDS = 2


class Citation(Source):
    """A source cited by an answer, with its number."""

    number: int


def cited_numbers(answer: str) -> list[int]:
    """Source numbers cited as ``[n]`` in ``answer``, in order of first citation."""
    seen: list[int] = []
    for match in CITATION.finditer(answer):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen


def attributed_numbers(answer: str, sources: Sequence[Source]) -> list[int]:
    """Numbers of the sources sharing the most content words with ``answer``.

    Used when an answer cites nothing: every source sharing at least
    ``MIN_SHARED_WORDS`` words and at least half as many as the best one, in order.
    """
    words = set(tokenize(answer))
    shared = {
        n: len(words & set(tokenize(source.get("snippet", "") + " " + source["title"])))
        for n, source in enumerate(sources, start=1)
    }
    best = max(shared.values(), default=0)
    floor = max(MIN_SHARED_WORDS, best / 2)
    return [n for n, count in shared.items() if count >= floor] if best >= MIN_SHARED_WORDS else []


def cite(answer: str, sources: Sequence[Source]) -> list[Citation]:
    """Citations for ``answer``: its ``[n]`` markers, else attribution by shared words."""
    numbers = [n for n in cited_numbers(answer) if 1 <= n <= len(sources)]
    if not numbers:
        numbers = attributed_numbers(answer, sources)
    return [Citation(number=n, **sources[n - 1]) for n in numbers]
