"""The arrangement: which instrument plays which role, and the dynamics over the piece."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from tools.music.instruments import family_of, program_of
from tools.music.score import Note

SUSTAINING = frozenset(
    {
        "Organ",
        "Strings",
        "Ensemble",
        "Brass",
        "Reed",
        "Pipe",
        "Synth Lead",
        "Synth Pad",
        "Synth Effects",
    }
)
"""Families that hold a note as long as it is played (the others are struck or plucked)."""
RANKS: dict[str, tuple[str, ...]] = {
    "melody": (
        "Pipe",
        "Reed",
        "Brass",
        "Synth Lead",
        "Chromatic Percussion",
        "Strings",
        "Guitar",
        "Piano",
        "Organ",
        "Ethnic",
    ),
    "bass": ("Bass", "Piano", "Strings", "Organ", "Guitar", "Synth Pad", "Ensemble", "Brass"),
    "chords": (
        "Piano",
        "Guitar",
        "Organ",
        "Synth Pad",
        "Ensemble",
        "Strings",
        "Chromatic Percussion",
        "Ethnic",
    ),
}
"""Families best suited to each role, best first (unlisted families come last)."""
VELOCITIES = {"pp": 36, "p": 50, "mp": 64, "mf": 78, "f": 94, "ff": 110}
ROLE_LEVELS = {"melody": 1.0, "chords": 0.78, "bass": 0.86, "pad": 0.62}
ACCENT = 6


def _rank(role: str, instrument: str) -> int:
    order = RANKS[role]
    family = family_of(program_of(instrument))
    return order.index(family) if family in order else len(order)


def assign_roles(instruments: Sequence[str]) -> list[tuple[str, str]]:
    """(role, instrument) pairs: melody, bass and chords each get the best-suited instrument.

    An instrument plays one role while others are free; with fewer than three, the best
    suited of all plays the missing roles too. A fourth instrument holds a pad.
    """
    free = list(instruments)
    load = dict.fromkeys(instruments, 0)
    pairs: list[tuple[str, str]] = []
    for role in ("melody", "bass", "chords"):
        pool = free or list(instruments)
        chosen = min(pool, key=lambda i: (_rank(role, i), load[i], instruments.index(i)))
        load[chosen] += 1
        if chosen in free:
            free.remove(chosen)
        pairs.append((role, chosen))
    pairs += [("pad", instrument) for instrument in free]
    return pairs


def is_sustaining(instrument: str) -> bool:
    """Whether the instrument holds its notes (strings, winds, organ, pads)."""
    return family_of(program_of(instrument)) in SUSTAINING


def with_dynamics(
    notes: Sequence[Note],
    role: str,
    marks: Sequence[str],
    seconds: float,
    bar_seconds: float,
    rng: random.Random,
) -> tuple[Note, ...]:
    """``notes`` with velocities following the marks from start to end, downbeats accented."""
    levels = [VELOCITIES[m] for m in marks]
    times = np.linspace(0.0, seconds, num=len(levels)) if len(levels) > 1 else [0.0]
    shaped = []
    for note in sorted(notes, key=lambda n: (n.start, n.pitch)):
        level = float(np.interp(note.start, times, levels)) * ROLE_LEVELS[role]
        downbeat = abs(note.start / bar_seconds - round(note.start / bar_seconds)) < 1e-6
        level += (ACCENT if downbeat else 0) + rng.randint(-3, 3)
        velocity = int(min(max(round(level), 1), 127))
        shaped.append(Note(note.pitch, round(note.start, 6), round(note.end, 6), velocity))
    return tuple(shaped)
