"""The 128 General MIDI instruments: names, programs, families (data from ``pretty_midi``)."""

from __future__ import annotations

import pretty_midi

GM_NAMES: tuple[str, ...] = tuple(pretty_midi.INSTRUMENT_MAP)
"""Every General MIDI program name, program 0 first."""
FAMILIES: tuple[str, ...] = tuple(pretty_midi.INSTRUMENT_CLASSES)
"""The 16 General MIDI families (Piano, Chromatic Percussion, Organ, Guitar, Bass, ...)."""
_BY_NAME = {name.lower(): program for program, name in enumerate(GM_NAMES)}


def program_of(name: str) -> int:
    """The program number (0-127) of a General MIDI name, matched without case."""
    program = _BY_NAME.get(" ".join(name.split()).lower())
    if program is None:
        raise ValueError(
            f"{name!r} is not a General MIDI instrument name (e.g. Acoustic Grand Piano, "
            "String Ensemble 1, Flute, Acoustic Bass)"
        )
    return program


def canonical_name(name: str) -> str:
    """The General MIDI spelling of an instrument name."""
    return GM_NAMES[program_of(name)]


def family_of(program: int) -> str:
    """The General MIDI family of a program, e.g. ``Strings`` for 48."""
    return str(pretty_midi.program_to_instrument_class(program))
