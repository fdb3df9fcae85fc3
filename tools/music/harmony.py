"""Harmony: the chord of every bar from the progression, voiced in the key, and the bass line."""

from __future__ import annotations

import random

from tools.music.brief import MusicBrief
from tools.music.grid import Grid
from tools.music.score import ChordSpan, Note
from tools.music.theory import chord, parse_tonic, tonic_numeral

CHORD_RANGE = (52, 76)
"""Lowest and highest pitch of a voiced chord (E3 to E5)."""
PAD_SHIFT = 5
"""How far above the chords the pad is voiced (it stays below the melody)."""
BASS_RANGE = (36, 50)
"""Lowest and highest pitch of the bass (C2 to D3)."""
LEGATO = 0.96
"""Share of its span a struck note sounds for."""


def chord_timeline(brief: MusicBrief, grid: Grid) -> tuple[ChordSpan, ...]:
    """One chord per bar, cycling through the progression; the last bar is the home chord."""
    tonic = parse_tonic(brief.key)
    spans = []
    for bar in range(grid.bars):
        ending = bar == grid.bars - 1 and grid.bars > 1
        numeral = (
            tonic_numeral(brief.mode) if ending else brief.progression[bar % len(brief.progression)]
        )
        named = chord(numeral, tonic, brief.mode)
        spans.append(
            ChordSpan(
                bar=bar,
                numeral=numeral,
                start=round(grid.bar_start(bar), 6),
                end=round(grid.bar_end(bar), 6),
                pitch_classes=named.pitch_classes,
                ending=ending,
            )
        )
    return tuple(spans)


def _candidates(pitch_classes: tuple[int, ...], low: int, high: int) -> list[tuple[int, ...]]:
    """Close-position voicings of the chord (each inversion, each octave) inside the range."""
    found = []
    count = len(pitch_classes)
    for inversion in range(count):
        order = pitch_classes[inversion:] + pitch_classes[:inversion]
        for bottom in range(low, low + 12):
            if bottom % 12 != order[0]:
                continue
            pitches = [bottom]
            for pitch_class in order[1:]:
                step = (pitch_class - pitches[-1]) % 12 or 12
                pitches.append(pitches[-1] + step)
            if pitches[-1] <= high:
                found.append(tuple(pitches))
    return found


def voice(
    pitch_classes: tuple[int, ...], previous: tuple[int, ...] | None, low: int, high: int
) -> tuple[int, ...]:
    """The voicing nearest the previous one (smooth voice leading), or centred at first."""
    options = _candidates(pitch_classes, low, high)
    if previous is None:
        middle = (low + high) / 2
        return min(options, key=lambda v: (abs(sum(v) / len(v) - middle), v))
    centre = sum(previous) / len(previous)
    return min(
        options,
        key=lambda v: (
            sum(abs(a - b) for a, b in zip(v, previous, strict=False)),
            abs(sum(v) / len(v) - centre),
            v,
        ),
    )


def chord_notes(
    spans: tuple[ChordSpan, ...], grid: Grid, *, held: bool, arpeggio: bool, pad: bool = False
) -> list[Note]:
    """The chord part: held for the bar, struck on the strong beats, or broken in eighths."""
    low, high = CHORD_RANGE
    if pad:
        low, high = low + PAD_SHIFT, high + PAD_SHIFT
    notes: list[Note] = []
    previous: tuple[int, ...] | None = None
    for span in spans:
        voicing = voice(span.pitch_classes, previous, low, high)
        previous = voicing
        if held or span.ending:
            notes += [Note(p, span.start, span.end, 0) for p in voicing]
        elif arpeggio:
            notes += _broken(voicing, span, grid)
        else:
            for start, end in grid.pulse_spans(span.bar):
                notes += [Note(p, start, start + (end - start) * LEGATO, 0) for p in voicing]
    return notes


def _broken(voicing: tuple[int, ...], span: ChordSpan, grid: Grid) -> list[Note]:
    """The chord broken into notes half a beat apart (up then down), each ringing to the beat."""
    step = grid.beat_seconds / 2
    order = list(voicing) + list(reversed(voicing[1:-1]))
    notes = []
    count = int(round((span.end - span.start) / step))
    for index in range(count):
        start = span.start + index * step
        notes.append(Note(order[index % len(order)], start, min(start + 2 * step, span.end), 0))
    return notes


def bass_notes(spans: tuple[ChordSpan, ...], grid: Grid, rng: random.Random) -> list[Note]:
    """The root on the first strong beat, the root or fifth on the next ones."""
    low, high = BASS_RANGE
    notes: list[Note] = []
    last = (low + high) // 2
    for span in spans:
        for index, (start, end) in enumerate(grid.pulse_spans(span.bar)):
            fifth = index % 2 == 1 and len(span.pitch_classes) > 2 and rng.random() < 0.7
            target = span.pitch_classes[2] if fifth else span.pitch_classes[0]
            pitch = min(
                (p for p in range(low, high + 1) if p % 12 == target),
                key=lambda p: (abs(p - last), p),
            )
            last = pitch
            notes.append(Note(pitch, start, start + (end - start) * LEGATO, 0))
    return notes
