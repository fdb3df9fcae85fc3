"""Lines of a model's text that repeat the instructions it was given, so they are never sent.

A small model asked to rewrite a reply "as the style guide says" may write out the style
guide and its system prompt instead of the reply: the 1.5B model did, for a Spanish
ticket, and a model critic approved it. A line is such an echo when, once lower-cased
and reduced to its words, it is a run of the instructions' words (at least
``MIN_WORDS``), or shares ``RUN`` words in a row with them.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
MIN_WORDS = 4
"""Shorter lines (a sign-off such as "the Support team") may repeat the instructions."""
RUN = 8
"""Words in a row shared with the instructions that make a longer line an echo."""


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def echoed_lines(text: str, instructions: str) -> list[str]:
    """The lines of ``text`` that repeat ``instructions``, in order."""
    said = _words(instructions)
    whole = f" {' '.join(said)} "
    runs = {tuple(said[at : at + RUN]) for at in range(len(said) - RUN + 1)}
    echoed = []
    for line in text.splitlines():
        words = _words(line)
        if len(words) < MIN_WORDS:
            continue
        inside = f" {' '.join(words)} " in whole
        shared = any(tuple(words[at : at + RUN]) in runs for at in range(len(words) - RUN + 1))
        if inside or shared:
            echoed.append(line)
    return echoed


def without_echo(text: str, instructions: str) -> str:
    """``text`` without the lines that repeat ``instructions`` (blank lines kept single)."""
    echoed = set(echoed_lines(text, instructions))
    if not echoed:
        return text
    kept = [line for line in text.splitlines() if line not in echoed]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
