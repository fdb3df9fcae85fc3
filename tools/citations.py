"""Numbered citations: how sources get their numbers, which an answer cites, how they print."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tools.sources import Source, citation_label, source_key
from tools.tokens import tokenize

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
    """Rewrite local ``[k]`` markers to ``numbers[k - 1]``; others (and 0s) are dropped."""

    def swap(match: re.Match[str]) -> str:
        local = int(match.group(1))
        number = numbers[local - 1] if 1 <= local <= len(numbers) else 0
        return f"[{number}]" if number else ""

    return tidy(MARKER.sub(swap, text))


GROUPED_MARKERS = re.compile(r"\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})+)\]")
DECORATION = r"[ \t]*(?:(?:[-*•>#_]+|\d{1,2}[.)])[ \t]*)*"
"""What a model may put before a copied label: bullets, numbers, bold, headings, quotes."""
TASK_LABEL = r"(?:sub-?\s?)?task\s*#?\s*\d+"
LABEL = (
    r"(?:question|answer|final answer|context|observations?"
    r"|sub-?\s?task results|sub-?\s?task|conversation so far)"
)
END_OF_LABEL = r"[ \t]*(?:[*_]+[ \t]*)?(?:[:\-–—][ \t]*(?:[*_]+[ \t]*)?|$)"
TASK_LAYOUT = rf"{TASK_LABEL}(?:\s*\([^\n]*?\))?(?:{END_OF_LABEL}|[ \t]+)"
SCAFFOLDING = re.compile(
    rf"^{DECORATION}(?:{TASK_LAYOUT}|{LABEL}{END_OF_LABEL})", re.IGNORECASE | re.MULTILINE
)
"""A label of our prompts a model copied at the start of a line (the line's text is kept)."""
INLINE_TASK = re.compile(rf"\b{TASK_LABEL}\s*\([^\n]*?\)[ \t]*(?:[*_]+)?[ \t]*:[ \t]*", re.I)
"""A task's layout (``Task 2 (the sub-question):``) copied into the middle of a line."""
ECHOED_SOURCES = re.compile(
    r"^[ \t*#_]*(?:Sources|References)[ \t*_]*:?[ \t*_]*\n(?:[ \t\-*]*\[\d{1,3}\][^\n]*(?:\n|\Z))*",
    re.IGNORECASE | re.MULTILINE,
)
"""A list of sources a model copied (the printed answer gets its own list)."""


MARKER_RUN = re.compile(r"(?:\[\d{1,3}\][ \t]*)+")
SENTENCE_END = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+|\n")


def source_words(source: Source) -> set[str]:
    """The content words of what a source showed: its title and snippet."""
    return set(tokenize(source.get("snippet", "") + " " + source["title"]))


def claim_words(text: str, start: int, end: int) -> set[str]:
    """The content words of the sentence ending at ``end`` (from ``start`` at most)."""
    sentence = SENTENCE_END.split(text[start:end].rstrip())[-1]
    return set(tokenize(sentence))


def supported(text: str, sources: Sequence[Source]) -> tuple[str, int]:
    """``text`` with each marker whose source does not hold its sentence moved to one that does.

    A marker is moved only when its own source shares fewer than ``MIN_SHARED_WORDS`` of
    the sentence's content words while another shares at least that many and at least
    half of them (the first such source with the most); markers naming no source are left
    for the caller. Returns the text and how many markers were moved.
    """
    words = [source_words(source) for source in sources]
    moved = 0
    pieces: list[str] = []
    at = 0
    for run in MARKER_RUN.finditer(text):
        claim = claim_words(text, at, run.start())
        numbers: list[int] = []
        for match in MARKER.finditer(run.group(0)):
            number = int(match.group(1))
            better = _better_source(claim, number, words)
            moved += better != number
            if better not in numbers:
                numbers.append(better)
        trailing = run.group(0)[len(run.group(0).rstrip(" \t")) :]
        pieces.append(text[at : run.start()] + "".join(f"[{n}]" for n in numbers) + trailing)
        at = run.end()
    return "".join(pieces) + text[at:], moved


def _better_source(claim: set[str], number: int, words: Sequence[set[str]]) -> int:
    """``number``, or the source that holds ``claim`` when source ``number`` does not."""
    if not 1 <= number <= len(words) or len(claim & words[number - 1]) >= MIN_SHARED_WORDS:
        return number
    shared = [len(claim & held) for held in words]
    best = max(shared)
    if best < MIN_SHARED_WORDS or best * 2 < len(claim):
        return number
    return shared.index(best) + 1


@dataclass
class CitedAnswer:
    """An answer whose every ``[n]`` is the citation numbered n."""

    text: str
    citations: list[Citation]
    """The sources the answer cites (or, citing none, draws on most)."""
    sources: list[Citation]
    """Every source, numbered."""
    dropped: int
    """Markers removed because they referred to no source."""
    moved: int = 0
    """Markers moved to the source that holds their sentence (see :func:`supported`)."""


def _expand(match: re.Match[str]) -> str:
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", match.group(1)):
        bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 10:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return "".join(f"[{n}]" for n in numbers)


def without_scaffolding(text: str) -> str:
    """``text`` without echoes of our prompts: labels, task lines, a Sources list at the end."""
    text = ECHOED_SOURCES.sub("", text.rstrip() + "\n")
    text = INLINE_TASK.sub("", SCAFFOLDING.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def tidy(text: str) -> str:
    """Spaces left by removed markers closed up; a marker repeated side by side kept once."""
    text = re.sub(r"(\[\d{1,3}\])(?:\s*\1)+", r"\1", text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


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
    shared = {n: len(words & source_words(source)) for n, source in enumerate(sources, start=1)}
    best = max(shared.values(), default=0)
    floor = max(MIN_SHARED_WORDS, best / 2)
    return [n for n, count in shared.items() if count >= floor] if best >= MIN_SHARED_WORDS else []


def finish_answer(answer: str, sources: Sequence[Source]) -> CitedAnswer:
    """The answer as printed: scaffolding removed, markers renumbered 1..k by first use.

    ``sources`` are numbered by position (1-based) as the model saw them. A marker whose
    source does not hold its sentence is moved to one that does (see :func:`supported`);
    a marker that names no source is removed; both are counted. An answer citing
    nothing gets the sources it shares most words with.
    """
    text = GROUPED_MARKERS.sub(_expand, without_scaffolding(answer))
    text, moved = supported(text, sources)
    valid = [n for n in cited_numbers(text) if 1 <= n <= len(sources)]
    mapping = {old: new for new, old in enumerate(valid, start=1)}
    dropped = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal dropped
        number = mapping.get(int(match.group(1)))
        if number is None:
            dropped += 1
            return ""
        return f"[{number}]"

    text = tidy(MARKER.sub(swap, text))
    chosen = valid or attributed_numbers(text, sources)
    order = chosen + [n for n in range(1, len(sources) + 1) if n not in chosen]
    numbered = [numbered_as(sources[n - 1], i) for i, n in enumerate(order, start=1)]
    return CitedAnswer(text, numbered[: len(chosen)], numbered, dropped, moved)


def cite_as_observed(answer: str, sources: Sequence[Source]) -> CitedAnswer:
    """The answer as printed, each ``[n]`` the number its source had when it was observed.

    ``sources`` are numbered by position (1-based), as the observations showed them and
    the live view printed them. Scaffolding is removed; a marker whose source does not
    hold its sentence is moved to one that does, and a marker naming no source is
    removed; both are counted. The citations are the sources the answer cites, in number
    order; an answer citing nothing gets the sources it shares most words with, under
    their own numbers too.
    """
    text = GROUPED_MARKERS.sub(_expand, without_scaffolding(answer))
    text, moved = supported(text, sources)
    dropped = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal dropped
        if 1 <= int(match.group(1)) <= len(sources):
            return match.group(0)
        dropped += 1
        return ""

    text = tidy(MARKER.sub(keep, text))
    numbered = [numbered_as(source, n) for n, source in enumerate(sources, start=1)]
    cited = set(cited_numbers(text) or attributed_numbers(text, sources))
    cited_ones = [c for c in numbered if c["number"] in cited]
    return CitedAnswer(text, cited_ones, numbered, dropped, moved)


def in_list_order(text: str, citations: Sequence[Citation]) -> tuple[str, list[Citation]]:
    """``text`` and its ``citations`` renumbered 1..k in list order (markers follow)."""
    new = {c["number"]: n for n, c in enumerate(citations, start=1)}
    numbers = [new.get(old, 0) for old in range(1, max(new, default=0) + 1)]
    return renumber(text, numbers), [numbered_as(c, n) for n, c in enumerate(citations, start=1)]


def numbered_as(source: Source, number: int) -> Citation:
    """``source`` as the citation numbered ``number`` (whatever number it had before)."""
    fields = {key: value for key, value in source.items() if key != "number"}
    return Citation(number=number, **fields)  # type: ignore[typeddict-item]


def cite(answer: str, sources: Sequence[Source]) -> list[Citation]:
    """Citations for ``answer``: its ``[n]`` markers, else attribution by shared words."""
    return finish_answer(answer, sources).citations


def numbers_in(sources: Sequence[Source], numbered: Sequence[Citation]) -> list[int]:
    """The number each of ``sources`` has in ``numbered`` (0 for one not there)."""
    index = {source_key(c): c["number"] for c in numbered}
    return [index.get(source_key(s), 0) for s in sources]


def format_citations(citations: Sequence[Mapping[str, Any]]) -> str:
    """One ``[n] reference`` line per citation."""
    return "\n".join(f"[{c['number']}] {citation_label(c)}" for c in citations)
