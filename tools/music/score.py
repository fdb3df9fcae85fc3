"""A composed piece: its notes per part, its chords per bar, and how it is kept in a run's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.music.brief import MusicBrief, checked_brief

ROLES = ("melody", "chords", "bass", "pad")
"""What a part plays: the tune, the harmony (struck or held), the low line, a held layer."""


@dataclass(frozen=True)
class Note:
    """One note: MIDI pitch, start and end in seconds, velocity 1-127."""

    pitch: int
    start: float
    end: float
    velocity: int


@dataclass(frozen=True)
class Part:
    """One instrument playing one role."""

    role: str
    instrument: str
    """General MIDI name."""
    program: int
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class ChordSpan:
    """The chord of one bar (the last bar, the ending, may be longer)."""

    bar: int
    numeral: str
    start: float
    end: float
    pitch_classes: tuple[int, ...]
    ending: bool = False
    """True for the final bar, which resolves to the home chord."""


@dataclass(frozen=True)
class Score:
    """A piece ready to be written as MIDI or rendered as audio."""

    brief: MusicBrief
    seed: int
    bars: int
    chords: tuple[ChordSpan, ...]
    parts: tuple[Part, ...]

    @property
    def seconds(self) -> float:
        """The piece's length: the brief's."""
        return self.brief.seconds

    def part(self, role: str) -> Part | None:
        """The first part playing ``role``, if any."""
        return next((part for part in self.parts if part.role == role), None)

    def as_dict(self) -> dict[str, Any]:
        """The score as JSON-ready data (notes as ``[pitch, start, end, velocity]``)."""
        return {
            "brief": self.brief.as_dict(),
            "seed": self.seed,
            "bars": self.bars,
            "chords": [
                {
                    "bar": c.bar,
                    "numeral": c.numeral,
                    "start": c.start,
                    "end": c.end,
                    "pitch_classes": list(c.pitch_classes),
                    "ending": c.ending,
                }
                for c in self.chords
            ],
            "parts": [
                {
                    "role": p.role,
                    "instrument": p.instrument,
                    "program": p.program,
                    "notes": [[n.pitch, n.start, n.end, n.velocity] for n in p.notes],
                }
                for p in self.parts
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Score:
        """The score :meth:`as_dict` made."""
        chords = tuple(
            ChordSpan(
                bar=int(c["bar"]),
                numeral=str(c["numeral"]),
                start=float(c["start"]),
                end=float(c["end"]),
                pitch_classes=tuple(int(x) for x in c["pitch_classes"]),
                ending=bool(c.get("ending", False)),
            )
            for c in data["chords"]
        )
        parts = tuple(
            Part(
                role=str(p["role"]),
                instrument=str(p["instrument"]),
                program=int(p["program"]),
                notes=tuple(
                    Note(int(n[0]), float(n[1]), float(n[2]), int(n[3])) for n in p["notes"]
                ),
            )
            for p in data["parts"]
        )
        brief = checked_brief(data["brief"])
        return cls(brief, int(data["seed"]), int(data["bars"]), chords, parts)
