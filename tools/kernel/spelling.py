"""Naming the known word a mistyped one is closest to: " (did you mean critic?)"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def closest(word: str, known: Sequence[str]) -> str | None:
    """The ``known`` word closest to ``word``, if one is close enough."""
    close = difflib.get_close_matches(word, known, n=1)
    return close[0] if close else None


def did_you_mean(word: str, known: Sequence[str]) -> str:
    """`` (did you mean X?)`` with the ``known`` word closest to ``word``, else ""."""
    close = closest(word, known)
    return f" (did you mean {close}?)" if close else ""


def with_closest(words: Iterable[str], known: Sequence[str]) -> list[str]:
    """Each of ``words``, followed by the ``known`` word it is closest to when there is one."""
    return [f"{word}{did_you_mean(word, known)}" for word in words]
