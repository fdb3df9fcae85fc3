"""A musical brief: what the composer is asked to write, checked field by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from tools.music.instruments import canonical_name
from tools.music.span import SECONDS_RANGE
from tools.music.theory import mode_name, parse_meter, parse_numeral, parse_tonic

DYNAMIC_MARKS = ("pp", "p", "mp", "mf", "f", "ff")
"""Dynamic marks, softest first."""
TEMPO_RANGE = (40, 200)
"""Slowest and fastest tempo a brief may ask for, in quarter notes per minute."""
MAX_INSTRUMENTS = 4
MAX_CHORDS = 8


@dataclass(frozen=True)
class MusicBrief:
    """A checked brief: every field valid, names in their canonical spelling."""

    title: str
    mood: str
    key: str
    """Tonic name, e.g. ``A`` or ``Eb``."""
    mode: str
    """``major``, ``minor``, ``dorian``, ``phrygian``, ``lydian``, ``mixolydian`` or ``locrian``."""
    tempo_bpm: int
    """Quarter notes per minute."""
    meter: str
    """``2/4``, ``3/4``, ``4/4`` or ``6/8``."""
    instruments: tuple[str, ...]
    """General MIDI names, one to four."""
    progression: tuple[str, ...]
    """Roman numerals in the key, two to eight; one chord per bar, repeated."""
    dynamics: tuple[str, ...]
    """Dynamic marks from the start to the end of the piece, one to four."""
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The brief as JSON-ready fields (lists for the tuples)."""
        fields = asdict(self)
        for name in ("instruments", "progression", "dynamics"):
            fields[name] = list(fields[name])
        return fields

    def as_prompt(self) -> str:
        """The brief in words, as a text-to-music model takes it."""
        return (
            f"{self.title}: {self.mood}. An instrumental piece in {self.key} {self.mode}, "
            f"{self.tempo_bpm} beats per minute in {self.meter}, for "
            f"{', '.join(self.instruments)}; chords {' '.join(self.progression)}; dynamics "
            f"{' to '.join(self.dynamics)}; {self.seconds:g} seconds long."
        )


def brief_problems(fields: Mapping[str, Any]) -> list[str]:
    """What is wrong with a brief's fields, one sentence each (empty: it is valid)."""
    problems: list[str] = []
    for name in ("title", "mood"):
        if not str(fields.get(name) or "").strip():
            problems.append(f"{name} is empty")
    checks = (
        ("key", lambda v: parse_tonic(str(v))),
        ("mode", lambda v: mode_name(str(v))),
        ("meter", lambda v: parse_meter(str(v))),
    )
    for name, check in checks:
        try:
            check(fields.get(name, ""))
        except ValueError as error:
            problems.append(str(error))
    problems += _number_problems(fields)
    problems += _list_problems(fields)
    return problems


def _number_problems(fields: Mapping[str, Any]) -> list[str]:
    problems = []
    low, high = TEMPO_RANGE
    tempo = fields.get("tempo_bpm")
    if not isinstance(tempo, int | float) or not low <= tempo <= high:
        problems.append(f"tempo_bpm must be a number from {low} to {high} (got {tempo!r})")
    shortest, longest = SECONDS_RANGE
    seconds = fields.get("seconds")
    if not isinstance(seconds, int | float) or not shortest <= seconds <= longest:
        problems.append(f"seconds must be from {shortest:g} to {longest:g} (got {seconds!r})")
    return problems


def _list_problems(fields: Mapping[str, Any]) -> list[str]:
    problems = []
    instruments = list(fields.get("instruments") or [])
    if not 1 <= len(instruments) <= MAX_INSTRUMENTS:
        problems.append(f"instruments must list 1 to {MAX_INSTRUMENTS} General MIDI names")
    progression = list(fields.get("progression") or [])
    if not 2 <= len(progression) <= MAX_CHORDS:
        problems.append(f"progression must list 2 to {MAX_CHORDS} Roman numerals")
    dynamics = list(fields.get("dynamics") or [])
    if not 1 <= len(dynamics) <= 4:
        problems.append("dynamics must list 1 to 4 marks")
    for name in instruments:
        _collect(problems, canonical_name, str(name))
    for numeral in progression:
        _collect(problems, parse_numeral, str(numeral))
    for mark in dynamics:
        if mark not in DYNAMIC_MARKS:
            problems.append(f"{mark!r} is not a dynamic mark: use {', '.join(DYNAMIC_MARKS)}")
    return problems


def _collect(problems: list[str], check: Any, value: str) -> None:
    try:
        check(value)
    except ValueError as error:
        problems.append(str(error))


def checked_brief(fields: Mapping[str, Any]) -> MusicBrief:
    """The brief in ``fields``, canonical; ValueError naming every problem if invalid."""
    problems = brief_problems(fields)
    if problems:
        raise ValueError("; ".join(problems))
    return MusicBrief(
        title=str(fields["title"]).strip(),
        mood=str(fields["mood"]).strip(),
        key=spelled_key(str(fields["key"])),
        mode=mode_name(str(fields["mode"])),
        tempo_bpm=int(round(float(fields["tempo_bpm"]))),
        meter=str(fields["meter"]).strip().replace(" ", ""),
        instruments=tuple(canonical_name(str(n)) for n in fields["instruments"]),
        progression=tuple(str(n).strip() for n in fields["progression"]),
        dynamics=tuple(str(m) for m in fields["dynamics"]),
        seconds=float(fields["seconds"]),
    )


def spelled_key(name: str) -> str:
    """A valid tonic name as a brief writes it: ``f#`` is ``F#``, ``B♭`` is ``Bb``."""
    text = name.strip().replace("♯", "#").replace("♭", "b")
    return text[:1].upper() + text[1:]
