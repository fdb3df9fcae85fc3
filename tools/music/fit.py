"""Does a brief fit the picture? The contradictions a critic sends a brief back for.

Two are checked, both against the picture's measured light and warmth: a bright, warm
picture set as a slow piece in a dark mode (a dirge for a sunny scene), and a dark,
cool picture set as a fast piece in a bright mode. Anything in between is a matter of
taste and passes.
"""

from __future__ import annotations

from tools.music.brief import MusicBrief
from tools.pictures.analysis import PictureFeatures
from tools.pictures.wording import light_word, warmth_word

DARK_MODES = frozenset({"minor", "phrygian", "locrian"})
BRIGHT_MODES = frozenset({"major", "lydian", "mixolydian"})
SLOW_BPM = 80
FAST_BPM = 130


def mismatches(brief: MusicBrief, features: PictureFeatures) -> list[str]:
    """What in ``brief`` contradicts the picture, one sentence each (empty: it fits)."""
    light, warmth = light_word(features), warmth_word(features)
    found = []
    bright_and_warm = light in ("bright", "very bright") and warmth == "warm"
    if bright_and_warm and brief.mode in DARK_MODES and brief.tempo_bpm < SLOW_BPM:
        found.append(
            f"The picture is {light} and warm, but the brief is a slow {brief.mode} piece at "
            f"{brief.tempo_bpm} bpm: choose a brighter mode (major, lydian or mixolydian) "
            f"or a tempo of {SLOW_BPM} bpm or more."
        )
    dark_and_cool = light in ("dark", "dim") and warmth == "cool"
    if dark_and_cool and brief.mode in BRIGHT_MODES and brief.tempo_bpm > FAST_BPM:
        found.append(
            f"The picture is {light} and cool, but the brief is a fast {brief.mode} piece at "
            f"{brief.tempo_bpm} bpm: choose a darker mode (minor, dorian or phrygian) "
            f"or a tempo of {FAST_BPM} bpm or less."
        )
    return found
