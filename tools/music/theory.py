"""Keys, modes, scales, Roman numerals and chords.

Roman numerals count degrees of the mode's own scale: in C major ``V`` is G, in C dorian
``IV`` is F and in C mixolydian ``VII`` is B flat. Upper case is a major chord, lower case
a minor one, ``°`` (or ``o``) diminished, ``+`` augmented; a trailing ``7`` adds the
seventh found in the scale above the root; a leading ``b`` or ``#`` moves the root a
semitone down or up from the scale degree (``bVII`` in C major is B flat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_NAMES = ("C", "C#", "Db", "D", "Eb", "E", "F", "F#", "Gb", "G", "Ab", "A", "Bb", "B")
"""The tonic names a brief may use."""
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
"""One readable name per pitch class, 0 = C."""
LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}
"""Each mode's scale as semitones above the tonic."""
MODE_ALIASES = {"ionian": "major", "aeolian": "minor"}
PARENT_DEGREE = {
    "major": 0,
    "dorian": 2,
    "phrygian": 4,
    "lydian": 5,
    "mixolydian": 7,
    "minor": 9,
    "locrian": 11,
}
"""Semitones from the parent major scale's tonic up to the mode's tonic."""

METERS: dict[str, tuple[int, int]] = {"2/4": (2, 4), "3/4": (3, 4), "4/4": (4, 4), "6/8": (6, 8)}
"""The meters a brief may use: beats per bar and the beat's note value."""

QUALITIES: dict[str, tuple[int, ...]] = {
    "major": (0, 4, 7),
    "minor": (0, 3, 7),
    "diminished": (0, 3, 6),
    "augmented": (0, 4, 8),
}
NUMERAL = re.compile(
    r"^(?P<accidental>[b#♭♯]?)(?P<degree>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)"
    r"(?P<quality>°|o|\+)?(?P<seventh>7)?$"
)
NUMERAL_PATTERN = r"^[b#]?(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(o|\+)?7?$"
"""The numerals a model is held to by a JSON schema (plain ASCII, no named groups)."""
DEGREES = ("i", "ii", "iii", "iv", "v", "vi", "vii")


def parse_tonic(name: str) -> int:
    """The pitch class (0 = C) of a tonic name such as ``F#`` or ``Bb``."""
    text = name.strip().replace("♯", "#").replace("♭", "b")
    if not text or text[0].upper() not in LETTERS:
        raise ValueError(f"{name!r} is not a key: use one of {', '.join(KEY_NAMES)}")
    pitch = LETTERS[text[0].upper()]
    rest = text[1:]
    if rest not in ("", "#", "b"):
        raise ValueError(f"{name!r} is not a key: use one of {', '.join(KEY_NAMES)}")
    return (pitch + {"": 0, "#": 1, "b": -1}[rest]) % 12


def mode_name(name: str) -> str:
    """The canonical name of a mode (``ionian`` is ``major``, ``aeolian`` is ``minor``)."""
    key = name.strip().lower()
    key = MODE_ALIASES.get(key, key)
    if key not in MODES:
        raise ValueError(f"{name!r} is not a mode: use one of {', '.join(MODES)}")
    return key


def parse_meter(text: str) -> tuple[int, int]:
    """Beats per bar and beat value of a meter such as ``3/4``."""
    meter = METERS.get(text.strip().replace(" ", ""))
    if meter is None:
        raise ValueError(f"{text!r} is not a meter: use one of {', '.join(METERS)}")
    return meter


def scale(tonic: int, mode: str) -> tuple[int, ...]:
    """The pitch classes of the mode's scale on ``tonic``, from the tonic up."""
    return tuple((tonic + step) % 12 for step in MODES[mode_name(mode)])


def scale_pitches(tonic: int, mode: str, low: int, high: int) -> list[int]:
    """Every MIDI pitch of the scale from ``low`` to ``high`` inclusive, ascending."""
    classes = set(scale(tonic, mode))
    return [pitch for pitch in range(low, high + 1) if pitch % 12 in classes]


@dataclass(frozen=True)
class Chord:
    """A chord named by a Roman numeral in a key."""

    numeral: str
    root: int
    """Pitch class of the root."""
    pitch_classes: tuple[int, ...]
    """Root first, then third, fifth (and seventh)."""
    quality: str


def parse_numeral(numeral: str) -> tuple[int, int, str, bool]:
    """Degree (1-7), accidental (-1, 0, +1), quality and whether a seventh is added."""
    match = NUMERAL.match(numeral.strip())
    if match is None:
        raise ValueError(
            f"{numeral!r} is not a Roman numeral: write a degree I-VII (upper case major, "
            "lower case minor), optionally with b or # before it and °, + or 7 after it"
        )
    degree_text = match["degree"]
    degree = DEGREES.index(degree_text.lower()) + 1
    accidental = {"": 0, "b": -1, "♭": -1, "#": 1, "♯": 1}[match["accidental"]]
    marker = match["quality"] or ""
    if marker in ("°", "o"):
        quality = "diminished"
    elif marker == "+":
        quality = "augmented"
    else:
        quality = "major" if degree_text.isupper() else "minor"
    return degree, accidental, quality, bool(match["seventh"])


def chord(numeral: str, tonic: int, mode: str) -> Chord:
    """The chord ``numeral`` names in the key of ``tonic`` and ``mode``."""
    degree, accidental, quality, seventh = parse_numeral(numeral)
    steps = scale(tonic, mode)
    root = (steps[degree - 1] + accidental) % 12
    classes = [(root + interval) % 12 for interval in QUALITIES[quality]]
    if seventh:
        diatonic = steps[(degree + 5) % 7] if accidental == 0 else (root + 10) % 12
        classes.append(diatonic)
    return Chord(numeral.strip(), root, tuple(classes), quality)


def tonic_numeral(mode: str) -> str:
    """The numeral of the home chord: ``I`` when the mode's third is major, else ``i``."""
    steps = MODES[mode_name(mode)]
    if steps[4] == 6:
        return "i°"
    return "I" if steps[2] == 4 else "i"


def key_signature_number(tonic: int, mode: str) -> int:
    """The MIDI key-signature number (0-11 major, 12-23 minor) of the mode's parent key."""
    canonical = mode_name(mode)
    if canonical == "minor":
        return 12 + tonic
    return (tonic - PARENT_DEGREE[canonical]) % 12


def key_label(key: str, mode: str) -> str:
    """A key as people write it, e.g. ``A minor`` or ``D dorian``."""
    return f"{key} {mode_name(mode)}"
