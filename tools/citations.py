"""Numbered citations: how sources get their numbers, which an answer cites, how they print."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tools.bm25 import tokenize
from tools.sources import Source, citation_label, source_key

MARKER = re.compile(r"\[(\d{1,3})\]")
MIN_SHARED_WORDS = 2


class Citation(Source):
    """A source cited by an answer, with its number."""

    number: int


def number_sources(
    known: Sequence[Source], found: Sequence[Source]
) -> tuple[list[int], list[Source]]:
    """Citation numbers (1-based) of ``found`` against ``known``, and the ones that are new."""
    index = {source_key(s): n for n, s in enumerate(known, start=1)}
    numbers: list[int] = []
    new: list[Source] = []
    for source in found:
        key = source_key(source)
        if key not in index:
            new.append(source)
            index[key] = len(known) + len(new)
        numbers.append(index[key])
    return numbers, new


def merge_numbered(groups: Sequence[Sequence[Source]]) -> tuple[list[Source], list[list[int]]]:
    """Every source of ``groups`` numbered once, and per group its local -> merged numbers."""
    merged: list[Source] = []
    mappings: list[list[int]] = []
    for group in groups:
        numbers, new = number_sources(merged, group)
        merged.extend(new)
        mappings.append(numbers)
    return merged, mappings


def renumber(text: str, numbers: Sequence[int]) -> str:
    """Rewrite local ``[k]`` markers to ``numbers[k - 1]``; markers out of range are dropped."""

    def swap(match: re.Match[str]) -> str:
        local = int(match.group(1))
        return f"[{numbers[local - 1]}]" if 1 <= local <= len(numbers) else ""

    return MARKER.sub(swap, text)


def cited_numbers(answer: str) -> list[int]:
    """Source numbers cited as ``[n]`` in ``answer``, in order of first citation."""
    seen: list[int] = []
    for match in MARKER.finditer(answer):
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


def format_citations(citations: Sequence[Mapping[str, Any]]) -> str:
    """One ``[n] reference`` line per citation."""
    return "\n".join(f"[{c['number']}] {citation_label(c)}" for c in citations)
