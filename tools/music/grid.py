"""Time in a piece: beats and bars from tempo and meter, and the rhythms a bar may hold."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from tools.music.theory import parse_meter

PATTERNS: dict[str, tuple[tuple[float, ...], ...]] = {
    "4/4": (
        (1, 1, 1, 1),
        (2, 1, 1),
        (1, 1, 2),
        (1.5, 0.5, 1, 1),
        (0.5, 0.5, 1, 1, 1),
        (1, 0.5, 0.5, 2),
        (2, 2),
        (1, 1, 0.5, 0.5, 1),
    ),
    "3/4": ((1, 1, 1), (2, 1), (1, 2), (1.5, 0.5, 1), (0.5, 0.5, 1, 1), (1, 0.5, 0.5, 1)),
    "2/4": ((1, 1), (0.5, 0.5, 1), (1.5, 0.5), (1, 0.5, 0.5)),
    "6/8": ((3, 3), (2, 1, 3), (3, 2, 1), (1, 1, 1, 3), (2, 1, 2, 1), (1, 1, 1, 2, 1)),
}
"""Rhythms of one bar, in beats of the meter (quarters, or eighths in 6/8)."""
PHRASE_ENDINGS: dict[str, tuple[tuple[float, ...], ...]] = {
    "4/4": ((1, 1, 2), (2, 2)),
    "3/4": ((1, 2), (2, 1)),
    "2/4": ((1, 1), (2,)),
    "6/8": ((3, 3), (2, 1, 3)),
}
"""Rhythms of a phrase's last bar: its last note is long."""
PULSES: dict[str, tuple[int, ...]] = {"4/4": (0, 2), "3/4": (0,), "2/4": (0, 1), "6/8": (0, 3)}
"""The strong beats of each meter (where chords are struck and the bass moves)."""
NOTE_SECONDS = 0.45
"""The melody's favourite note length: rhythms near it are chosen more often."""
PHRASE_BARS = 4


@dataclass(frozen=True)
class Grid:
    """Beats and bars of a piece of ``seconds`` at ``tempo_bpm`` quarters per minute."""

    tempo_bpm: int
    meter: str
    seconds: float

    @property
    def beats(self) -> int:
        """Beats per bar."""
        return parse_meter(self.meter)[0]

    @property
    def beat_seconds(self) -> float:
        """Length of one beat (a quarter, or an eighth in 6/8)."""
        return 60.0 / self.tempo_bpm * 4 / parse_meter(self.meter)[1]

    @property
    def bar_seconds(self) -> float:
        """Length of one bar."""
        return self.beats * self.beat_seconds

    @property
    def bars(self) -> int:
        """Whole bars in the piece (at least one; the last runs to the end)."""
        return max(1, math.floor(self.seconds / self.bar_seconds + 1e-9))

    @property
    def pulses(self) -> tuple[int, ...]:
        """The strong beats of a bar."""
        return PULSES[self.meter]

    def bar_start(self, bar: int) -> float:
        """When ``bar`` starts, in seconds."""
        return bar * self.bar_seconds

    def bar_end(self, bar: int) -> float:
        """When ``bar`` ends: the next bar's start, or the piece's end for the last bar."""
        return self.seconds if bar == self.bars - 1 else (bar + 1) * self.bar_seconds

    def pulse_spans(self, bar: int) -> list[tuple[float, float]]:
        """Start and end, in seconds, of each strong-beat span of ``bar``."""
        starts = [self.bar_start(bar) + p * self.beat_seconds for p in self.pulses]
        if bar == self.bars - 1:
            return [(starts[0], self.bar_end(bar))]
        ends = [*starts[1:], self.bar_end(bar)]
        return list(zip(starts, ends, strict=True))


def choose_motifs(grid: Grid, rng: random.Random) -> tuple[tuple[float, ...], ...]:
    """Two bar rhythms and a phrase ending, favouring notes near :data:`NOTE_SECONDS`."""
    patterns = PATTERNS[grid.meter]
    weights = [
        math.exp(-2 * abs(math.log(grid.bar_seconds / len(p) / NOTE_SECONDS))) for p in patterns
    ]
    first, second = rng.choices(patterns, weights), rng.choices(patterns, weights)
    ending = rng.choice(PHRASE_ENDINGS[grid.meter])
    return first[0], second[0], ending


def phrase_rhythm(
    motifs: tuple[tuple[float, ...], ...], position: int, bars_left: int
) -> tuple[float, ...]:
    """The rhythm of the bar at ``position`` in its phrase: A A B ending."""
    if position == PHRASE_BARS - 1 or bars_left == 1:
        return motifs[2]
    return motifs[1] if position == 2 else motifs[0]
