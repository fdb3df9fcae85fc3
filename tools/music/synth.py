"""A small additive synthesizer in numpy: a timbre per instrument family, envelopes, a room.

Harmonic timbres play from wavetables (one period of their partials); bells and mallets
add their inharmonic partials directly. Identical notes are rendered once. The mix is
stereo (each part at its own place), goes through a short multi-tap room, is scaled to
a peak of -1 dBFS (never clipping) and fades out over the last seconds.
"""

from __future__ import annotations

import math

import numpy as np

from tools.music.instruments import family_of
from tools.music.score import Note, Score
from tools.music.span import SAMPLE_RATE
from tools.music.timbres import Timbre, timbre_of

TABLE_SIZE = 4096
PEAK = 0.89
"""The loudest sample of a rendered piece (-1 dBFS)."""
FADE_IN_S = 0.005
FADE_OUT_S = 2.0
ROOM = ((0.023, 0.19), (0.031, 0.16), (0.043, 0.13), (0.059, 0.11), (0.071, 0.09), (0.089, 0.07))
"""Delays (seconds) and gains of the room's early reflections (right channel a bit later)."""
BREATH_SMOOTHING = 8
"""Samples the breath noise is averaged over (a soft low-pass: breath, not hiss)."""
ROLE_PANS = {"melody": 0.15, "chords": -0.3, "bass": 0.0, "pad": 0.35}


def _table(partials: tuple[float, ...]) -> np.ndarray:
    phase = np.arange(TABLE_SIZE) / TABLE_SIZE
    wave = sum(a * np.sin(2 * np.pi * (k + 1) * phase) for k, a in enumerate(partials) if a)
    table = np.asarray(wave, dtype=np.float64)
    return table / float(np.max(np.abs(table)))


class Synthesizer:
    """Renders scores; ``seed`` fixes the breath noise, so the same score gives the same audio."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, seed: int = 0) -> None:
        """A synthesizer at ``sample_rate`` frames per second."""
        self.sample_rate = sample_rate
        self.noise = np.random.default_rng(seed)
        self._tables: dict[tuple[float, ...], np.ndarray] = {}
        self._notes: dict[tuple[str, int, float, int], np.ndarray] = {}

    def render(self, score: Score) -> np.ndarray:
        """The score as float32 stereo frames, ``score.seconds`` long."""
        frames = int(round(score.seconds * self.sample_rate))
        mix = np.zeros((2, frames), dtype=np.float32)
        for part in score.parts:
            family = family_of(part.program)
            pan = ROLE_PANS.get(part.role, 0.0)
            gains = (math.cos((pan + 1) * math.pi / 4), math.sin((pan + 1) * math.pi / 4))
            for note in part.notes:
                self._add(mix, family, note, gains)
        _room(mix, self.sample_rate)
        return _finish(mix, self.sample_rate).T

    def _add(self, mix: np.ndarray, family: str, note: Note, gains: tuple[float, float]) -> None:
        start = int(round(note.start * self.sample_rate))
        if start >= mix.shape[1]:
            return
        wave = self.note_wave(family, note.pitch, note.end - note.start, note.velocity)
        end = min(start + len(wave), mix.shape[1])
        part = wave[: end - start]
        mix[0, start:end] += np.float32(gains[0]) * part
        mix[1, start:end] += np.float32(gains[1]) * part

    def note_wave(self, family: str, pitch: int, held_s: float, velocity: int) -> np.ndarray:
        """One note of ``family`` held ``held_s`` seconds, with its release (cached)."""
        key = (family, pitch, round(held_s, 4), velocity)
        if key not in self._notes:
            self._notes[key] = self._synthesize(timbre_of(family), pitch, held_s, velocity)
        return self._notes[key]

    def _synthesize(self, timbre: Timbre, pitch: int, held_s: float, velocity: int) -> np.ndarray:
        frequency = 440.0 * 2 ** ((pitch - 69) / 12)
        t = np.arange(int((held_s + timbre.release_s) * self.sample_rate)) / self.sample_rate
        cycles = frequency * t
        if timbre.vibrato_hz:
            depth = 2 ** (timbre.vibrato_cents / 1200) - 1
            rate = 2 * np.pi * timbre.vibrato_hz
            cycles = cycles + frequency * depth / rate * (1 - np.cos(rate * t)) * np.minimum(t, 1)
        wave = self._voices(timbre, cycles, t)
        if timbre.breath:
            hiss = self.noise.standard_normal(len(t) + BREATH_SMOOTHING - 1)
            soft = np.convolve(hiss, np.full(BREATH_SMOOTHING, 1 / BREATH_SMOOTHING), "valid")
            wave = wave + timbre.breath * soft
        loudness = (velocity / 127) ** 1.6 * timbre.gain
        return (wave * _envelope(timbre, t, held_s, pitch) * loudness).astype(np.float32)

    def _voices(self, timbre: Timbre, cycles: np.ndarray, t: np.ndarray) -> np.ndarray:
        if timbre.ratios:
            bell = np.zeros_like(cycles)
            for amplitude, ratio in zip(timbre.partials, timbre.ratios, strict=True):
                bell += amplitude * np.sin(2 * np.pi * ratio * cycles)
            return bell / sum(timbre.partials)
        bright = self._lookup(timbre.partials)
        detunes = (0.0, *timbre.chorus_cents)
        wave = np.zeros_like(cycles)
        for cents in detunes:
            index = (cycles * (2 ** (cents / 1200)) * TABLE_SIZE).astype(np.int64) & (
                TABLE_SIZE - 1
            )
            if timbre.mellow and timbre.decay_s:
                mellow = self._lookup(timbre.mellow)[index]
                fade = np.exp(-t / (timbre.decay_s * 0.35))
                wave += mellow + (bright[index] - mellow) * fade
            else:
                wave += bright[index]
        return wave / len(detunes)

    def _lookup(self, partials: tuple[float, ...]) -> np.ndarray:
        if partials not in self._tables:
            self._tables[partials] = _table(partials)
        return self._tables[partials]


def _envelope(timbre: Timbre, t: np.ndarray, held_s: float, pitch: int) -> np.ndarray:
    """Attack, then a fade (struck) or a steady level (held), then a release to silence."""
    rise = np.minimum(t / timbre.attack_s, 1.0)
    if timbre.decay_s:
        body = np.exp(-t / (timbre.decay_s * 2 ** (-(pitch - 60) / 24)))
    else:
        body = np.full_like(t, timbre.sustain)
    release = np.clip(1.0 - (t - held_s) / timbre.release_s, 0.0, 1.0)
    return rise * body * release


def _room(mix: np.ndarray, sample_rate: int) -> None:
    """Add early reflections in place: delayed, quieter copies of the dry mix.

    One channel is copied at a time, so the memory needed beyond the mix is one channel.
    """
    for channel, spread in ((0, 1.0), (1, 1.13)):
        dry = mix[channel].copy()
        for delay_s, gain in ROOM:
            delay = int(delay_s * spread * sample_rate)
            if delay < len(dry):
                mix[channel, delay:] += np.float32(gain) * dry[:-delay]


def _finish(mix: np.ndarray, sample_rate: int) -> np.ndarray:
    """The mix scaled to :data:`PEAK` in place, faded in briefly and out over the end."""
    peak = float(np.max(np.abs(mix))) if mix.size else 0.0
    if peak > 0:
        mix *= np.float32(PEAK / peak)
    frames = mix.shape[1]
    fade_in = min(int(FADE_IN_S * sample_rate), frames)
    mix[:, :fade_in] *= np.linspace(0.0, 1.0, fade_in)
    fade_out = min(int(FADE_OUT_S * sample_rate), frames // 4)
    if fade_out:
        mix[:, frames - fade_out :] *= np.linspace(1.0, 0.0, fade_out)
    return mix
