"""The composer: a brief and a seed in, a score out, the same score every time.

The chords follow the progression, one per bar, voiced close in the key with smooth
voice leading; the last bar resolves to the home chord. The melody uses only the mode's
scale: phrases of four bars rising and falling, rhythms fitted to the meter and tempo,
chord tones on strong beats. The bass plays roots and fifths on the strong beats. Each
instrument gets the role its family suits; dynamics follow the brief's marks.
"""

from __future__ import annotations

import random

from tools.music.arrangement import assign_roles, is_sustaining, with_dynamics
from tools.music.brief import MusicBrief
from tools.music.grid import Grid
from tools.music.harmony import bass_notes, chord_notes, chord_timeline
from tools.music.instruments import program_of
from tools.music.melody import melody_notes
from tools.music.score import ChordSpan, Note, Part, Score

INTRO_FROM_BARS = 6
"""Pieces of at least this many bars open with one bar of accompaniment alone."""


def compose(brief: MusicBrief, seed: int = 0) -> Score:
    """Compose ``brief`` deterministically: the same brief and seed give the same score."""
    rng = random.Random(seed)
    grid = Grid(brief.tempo_bpm, brief.meter, brief.seconds)
    spans = chord_timeline(brief, grid)
    intro = 1 if grid.bars >= INTRO_FROM_BARS else 0
    parts = []
    for role, instrument in assign_roles(brief.instruments):
        notes = _role_notes(role, instrument, brief, grid, spans, rng, intro)
        shaped = with_dynamics(notes, role, brief.dynamics, brief.seconds, grid.bar_seconds, rng)
        parts.append(Part(role, instrument, program_of(instrument), shaped))
    return Score(brief, seed, grid.bars, spans, tuple(parts))


def _role_notes(
    role: str,
    instrument: str,
    brief: MusicBrief,
    grid: Grid,
    spans: tuple[ChordSpan, ...],
    rng: random.Random,
    intro: int,
) -> list[Note]:
    if role == "melody":
        return melody_notes(brief, grid, spans, rng, intro)
    if role == "bass":
        return bass_notes(spans, grid, rng)
    if role == "pad":
        return chord_notes(spans[intro:], grid, held=True, arpeggio=False, pad=True)
    held = is_sustaining(instrument)
    arpeggio = not held and brief.tempo_bpm <= 130 and rng.random() < 0.5
    return chord_notes(spans, grid, held=held, arpeggio=arpeggio)
