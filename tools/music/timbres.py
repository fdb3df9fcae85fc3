"""A timbre per General MIDI family: partials, envelope, vibrato, chorus and breath."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timbre:
    """How one family sounds in the synthesizer.

    A struck timbre (``decay_s`` > 0) fades from its attack like a piano or a plucked
    string; a held one rises over ``attack_s`` and stays at ``sustain`` until released.
    """

    partials: tuple[float, ...]
    """Amplitude of harmonics 1, 2, 3, ... (the bright sound at the attack)."""
    mellow: tuple[float, ...] = ()
    """Harmonics the sound settles into (struck timbres dull as they fade); none: no change."""
    ratios: tuple[float, ...] = ()
    """Inharmonic frequency ratios of ``partials`` (bells, mallets); none: harmonic."""
    attack_s: float = 0.01
    decay_s: float = 0.0
    """Time constant of the fade of a struck note (0: held)."""
    sustain: float = 1.0
    release_s: float = 0.1
    vibrato_hz: float = 0.0
    vibrato_cents: float = 0.0
    chorus_cents: tuple[float, ...] = ()
    """Detuning of extra voices playing along (strings sections, pads)."""
    breath: float = 0.0
    """Share of noise in the sound (flutes, pipes)."""
    gain: float = 1.0


def _saw(count: int, tilt: float = 1.0) -> tuple[float, ...]:
    return tuple(1.0 / (n**tilt) for n in range(1, count + 1))


def _odd(count: int) -> tuple[float, ...]:
    return tuple((1.0 / n if n % 2 else 0.08 / n) for n in range(1, count + 1))


PIANO = Timbre(
    _saw(12, 1.4), mellow=(1.0, 0.35, 0.12, 0.05), attack_s=0.004, decay_s=1.3, release_s=0.25
)
PLUCKED = Timbre(
    _saw(10, 1.1), mellow=(1.0, 0.2, 0.05), attack_s=0.003, decay_s=0.9, release_s=0.15
)
TIMBRES: dict[str, Timbre] = {
    "Piano": PIANO,
    "Chromatic Percussion": Timbre(
        (1.0, 0.45, 0.2), ratios=(1.0, 3.93, 9.54), attack_s=0.002, decay_s=1.1, release_s=0.4
    ),
    "Organ": Timbre((1.0, 0.8, 0.0, 0.5, 0.0, 0.3, 0.0, 0.25), attack_s=0.012, release_s=0.08),
    "Guitar": PLUCKED,
    "Bass": Timbre(
        (1.0, 0.5, 0.25, 0.12, 0.06), mellow=(1.0, 0.2), attack_s=0.006, decay_s=1.6, gain=1.2
    ),
    "Strings": Timbre(
        _saw(14),
        attack_s=0.14,
        sustain=0.9,
        release_s=0.3,
        vibrato_hz=5.5,
        vibrato_cents=12,
        chorus_cents=(-7.0,),
        gain=0.8,
    ),
    "Ensemble": Timbre(
        _saw(12), attack_s=0.25, sustain=0.9, release_s=0.4, chorus_cents=(-8.0, 9.0), gain=0.7
    ),
    "Brass": Timbre(
        _saw(10, 0.8), attack_s=0.06, sustain=0.85, release_s=0.12, vibrato_hz=5.0, gain=0.8
    ),
    "Reed": Timbre(
        _odd(11), attack_s=0.04, sustain=0.9, release_s=0.08, vibrato_hz=5.0, vibrato_cents=8
    ),
    "Pipe": Timbre(
        (1.0, 0.25, 0.08, 0.03),
        attack_s=0.07,
        sustain=0.9,
        release_s=0.1,
        vibrato_hz=5.0,
        vibrato_cents=10,
        breath=0.08,
    ),
    "Synth Lead": Timbre(_odd(15), attack_s=0.01, release_s=0.1, gain=0.7),
    "Synth Pad": Timbre(
        _saw(10), attack_s=0.5, release_s=0.8, chorus_cents=(-10.0, 10.0), gain=0.6
    ),
    "Synth Effects": Timbre(
        _saw(8, 1.5), attack_s=0.3, release_s=0.6, chorus_cents=(-12.0,), gain=0.6
    ),
    "Ethnic": Timbre(_saw(10, 0.9), mellow=(1.0, 0.3), attack_s=0.003, decay_s=0.7),
    "Percussive": Timbre(
        (1.0, 0.5, 0.3), ratios=(1.0, 1.59, 2.14), attack_s=0.002, decay_s=0.25, release_s=0.1
    ),
    "Sound Effects": Timbre(_saw(6, 1.5), attack_s=0.2, release_s=0.5, breath=0.1, gain=0.6),
}
"""The timbre of each of the 16 General MIDI families."""


def timbre_of(family: str) -> Timbre:
    """The family's timbre (the piano's for an unknown family)."""
    return TIMBRES.get(family, PIANO)
