"""The compose team's steps in words for the live view: describe, brief, compose, render."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.live import Narrator, count, narrated

DESCRIPTION_SHOWN = 220
"""Characters of the description shown on its line."""


class ComposeNarrator(Narrator):
    """The describer, the composer, the check of the brief, the composer and renderer in code."""

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """What is being done."""
        if node == "describe":
            return "Describing the picture"
        if node == "write_brief":
            if state.get("brief_returns"):
                return "Composer is rewriting the brief it was sent back"
            return "Composer is writing the brief"
        if node == "review_brief":
            return "Checking the brief against the picture"
        if node == "compose":
            return "Composing"
        return "Rendering the audio" if node == "render" else None

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """What came of it."""
        if node == "describe":
            return _described(update)
        if node == "write_brief":
            return _brief_line(update["brief"], bool(update.get("brief_fallback")))
        if node == "review_brief":
            review = update["brief_reviews"][-1]
            if review["fits"]:
                return "The brief fits the picture"
            verdict = "sent back" if review["sent_back"] else "kept (no returns left)"
            return f"Brief {verdict}: {' '.join(review['problems'])}"
        if node == "compose":
            score = update["score"]
            chords = " ".join(c["numeral"] for c in score["chords"])
            bars = score["bars"]
            return f"Composed {count(bars, 'bar')}: {chords}"
        if node == "render":
            audio = update["audio"]
            return f"Rendered {audio['seconds']:.1f} s with {audio['renderer']}"
        return None


def _described(update: Mapping[str, Any]) -> str:
    text = str(update.get("description") or "")
    shown = text if len(text) <= DESCRIPTION_SHOWN else text[: DESCRIPTION_SHOWN - 1] + "…"
    if update.get("description_source") == "model":
        return f"Described by the describer's model: {shown}"
    return f"Analysed the pixels ({update.get('describer_note', '')})"


def _brief_line(brief: Mapping[str, Any], fallback: bool) -> str:
    line = (
        f"Brief: {brief['title']!r}, {brief['key']} {brief['mode']}, {brief['tempo_bpm']} bpm "
        f"in {brief['meter']}, {', '.join(brief['instruments'])}; "
        f"chords {' '.join(brief['progression'])}"
    )
    return line + (" (fallback: made from the measurements)" if fallback else "")


view = narrated(lambda settings: ComposeNarrator())
"""The compose team's live view."""
