"""A brief made in code from a picture's measurements (the brief writer's fallback).

The mapping is a convention, stated so it can be argued with: brightness chooses the
mode (bright: major or lydian; dark: minor or phrygian; between: dorian or mixolydian by
warmth) and raises the tempo with the picture's busyness; warmth turns the key round the
circle of fifths (cool pictures get flat keys, warm ones sharp keys); texture chooses
the meter (smooth: 3/4 or 6/8, detailed: 4/4); light and warmth choose the instruments;
contrast shapes the dynamics.
"""

from __future__ import annotations

from tools.music.brief import MusicBrief, checked_brief
from tools.pictures.analysis import PictureFeatures
from tools.pictures.wording import light_word, mood_words, texture_word, warmth_word

KEYS_COOL_TO_WARM = ("Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#")
PROGRESSIONS = {
    "major": ("I", "V", "vi", "IV"),
    "lydian": ("I", "II", "vii", "I"),
    "mixolydian": ("I", "VII", "IV", "I"),
    "dorian": ("i", "IV", "i", "VII"),
    "minor": ("i", "VI", "III", "VII"),
    "phrygian": ("i", "II", "i", "vii"),
}
ENSEMBLES = {
    ("bright", "warm"): ("Acoustic Grand Piano", "Flute", "Acoustic Bass"),
    ("bright", "cool"): ("Vibraphone", "String Ensemble 1", "Fretless Bass"),
    ("bright", "neutral"): ("Acoustic Guitar (nylon)", "Clarinet", "Acoustic Bass"),
    ("medium", "warm"): ("Electric Piano 1", "Alto Sax", "Acoustic Bass"),
    ("medium", "cool"): ("Acoustic Grand Piano", "Oboe", "String Ensemble 1"),
    ("medium", "neutral"): ("Acoustic Grand Piano", "Acoustic Bass"),
    ("dark", "warm"): ("Electric Piano 1", "Cello", "Acoustic Bass"),
    ("dark", "cool"): ("Pad 2 (warm)", "English Horn", "Contrabass"),
    ("dark", "neutral"): ("Acoustic Grand Piano", "String Ensemble 2", "Contrabass"),
}


def _light_band(features: PictureFeatures) -> str:
    word = light_word(features)
    return "bright" if "bright" in word else "dark" if word in ("dark", "dim") else "medium"


def suggested_mode(features: PictureFeatures) -> str:
    """The mode light and warmth suggest."""
    band, warmth = _light_band(features), warmth_word(features)
    if band == "bright":
        return "lydian" if warmth == "cool" else "major"
    if band == "dark":
        return "phrygian" if features.brightness < 0.12 else "minor"
    return "mixolydian" if warmth == "warm" else "dorian"


def suggested_tempo(features: PictureFeatures) -> int:
    """Slow for dark, still pictures; fast for bright, busy ones (50 to 150)."""
    busyness = min(features.texture / 0.6, 1.0)
    return int(round(min(max(56 + 50 * features.brightness + 44 * busyness, 50), 150)))


def suggested_dynamics(features: PictureFeatures) -> tuple[str, ...]:
    """Soft for dark pictures, louder for bright ones; an arch when contrast is high."""
    base = "p" if _light_band(features) == "dark" else "mf" if features.brightness > 0.6 else "mp"
    if features.contrast >= 0.25:
        return (base, "f", base)
    return (base, "mf", base) if base != "mf" else ("mp", "mf", "mp")


def suggest_brief(features: PictureFeatures, seconds: float) -> MusicBrief:
    """The brief these measurements suggest, ``seconds`` long."""
    mode = suggested_mode(features)
    position = (features.warmth + 1) / 2 * (len(KEYS_COOL_TO_WARM) - 1)
    key = KEYS_COOL_TO_WARM[int(round(min(max(position, 0), len(KEYS_COOL_TO_WARM) - 1)))]
    smooth = texture_word(features) == "smooth"
    meter = ("3/4" if warmth_word(features) == "cool" else "6/8") if smooth else "4/4"
    moods = mood_words(features)
    colours = " and ".join(name for name, _ in features.colours[:2]) or "gray"
    return checked_brief(
        {
            "title": f"Study in {colours}",
            "mood": ", ".join(moods),
            "key": key,
            "mode": mode,
            "tempo_bpm": suggested_tempo(features),
            "meter": meter,
            "instruments": list(ENSEMBLES[(_light_band(features), warmth_word(features))]),
            "progression": list(PROGRESSIONS[mode]),
            "dynamics": list(suggested_dynamics(features)),
            "seconds": seconds,
        }
    )
