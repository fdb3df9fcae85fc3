"""The melody: notes of the mode's scale, an arch in every phrase, chord tones on strong beats."""

from __future__ import annotations

import math
import random

from tools.music.brief import MusicBrief
from tools.music.grid import PHRASE_BARS, Grid, choose_motifs, phrase_rhythm
from tools.music.score import ChordSpan, Note
from tools.music.theory import parse_tonic, scale_pitches

MELODY_RANGE = (65, 88)
"""Lowest and highest melody pitch (F4 to E6), above the chords."""
HOME_PITCH = 74
"""Where phrases start from (D5); the nearest scale pitch is used."""
ARCH = 5
"""How many scale steps a phrase rises above its starting height at its peak."""
ANSWER_LIFT = 2
"""Every second phrase (the answer) is this many scale steps higher."""
REACH = 4
"""How far, in scale steps, a strong beat may leap to a chord tone."""
LEGATO = 0.92
STEPS = (-2, -1, -1, 1, 1, 2)


def melody_notes(
    brief: MusicBrief, grid: Grid, spans: tuple[ChordSpan, ...], rng: random.Random, first_bar: int
) -> list[Note]:
    """The melody from ``first_bar`` on; every pitch is in the mode's scale."""
    pitches = scale_pitches(parse_tonic(brief.key), brief.mode, *MELODY_RANGE)
    home = min(range(len(pitches)), key=lambda i: (abs(pitches[i] - HOME_PITCH), i))
    motifs = choose_motifs(grid, rng)
    index = home
    notes: list[Note] = []
    for span in spans[first_bar:]:
        if span.ending:
            index = _nearest(pitches, index, span.pitch_classes[:1])
            notes.append(Note(pitches[index], span.start, span.end, 0))
            continue
        position = (span.bar - first_bar) % PHRASE_BARS
        lift = ANSWER_LIFT * ((span.bar - first_bar) // PHRASE_BARS % 2)
        rhythm = phrase_rhythm(motifs, position, grid.bars - span.bar)
        onset = 0.0
        for number, beats in enumerate(rhythm):
            progress = (position + onset / grid.beats) / PHRASE_BARS
            target = home + lift + round(ARCH * math.sin(math.pi * progress))
            strong = onset in grid.pulses or number == len(rhythm) - 1
            if strong:
                index = _chord_tone(pitches, index, target, span.pitch_classes, rng)
            else:
                index = _step(index, target, len(pitches), rng)
            start = span.start + onset * grid.beat_seconds
            if start >= span.end:
                break
            end = min(start + beats * grid.beat_seconds * LEGATO, span.end)
            notes.append(Note(pitches[index], start, end, 0))
            onset += beats
    return notes


def _chord_tone(
    pitches: list[int], index: int, target: int, pitch_classes: tuple[int, ...], rng: random.Random
) -> int:
    """A chord tone within reach of ``index``, near ``target``, rarely the same note again."""
    near = [
        i
        for i in range(max(index - REACH, 0), min(index + REACH, len(pitches) - 1) + 1)
        if pitches[i] % 12 in pitch_classes
    ]
    if not near:
        return _nearest(pitches, index, pitch_classes)
    return min(near, key=lambda i: abs(i - target) + 1.5 * (i == index) + rng.random())


def _step(index: int, target: int, size: int, rng: random.Random) -> int:
    """A step of one or two scale degrees, leaning toward ``target``, kept in range."""
    step = rng.choice(STEPS)
    if (target - index) * step < 0 and rng.random() < 0.6:
        step = -step
    return min(max(index + step, 0), size - 1)


def _nearest(pitches: list[int], index: int, pitch_classes: tuple[int, ...]) -> int:
    """The index of the scale pitch nearest ``index`` whose class is in the chord, if any is."""
    fitting = [i for i, p in enumerate(pitches) if p % 12 in pitch_classes]
    if not fitting:
        return min(max(index, 0), len(pitches) - 1)
    return min(fitting, key=lambda i: (abs(i - index), i))
