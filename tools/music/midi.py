"""A score as a Standard MIDI File: one track per part, the brief's tempo, meter and key."""

from __future__ import annotations

import io

import pretty_midi

from tools.music.score import Score
from tools.music.theory import key_signature_number, parse_meter, parse_tonic


def to_midi(score: Score) -> pretty_midi.PrettyMIDI:
    """The score as a ``PrettyMIDI`` object (tempo, time and key signature at 0)."""
    brief = score.brief
    music = pretty_midi.PrettyMIDI(initial_tempo=float(brief.tempo_bpm))
    numerator, denominator = parse_meter(brief.meter)
    music.time_signature_changes.append(pretty_midi.TimeSignature(numerator, denominator, 0.0))
    key = key_signature_number(parse_tonic(brief.key), brief.mode)
    music.key_signature_changes.append(pretty_midi.KeySignature(key, 0.0))
    for part in score.parts:
        track = pretty_midi.Instrument(
            program=part.program, name=f"{part.instrument} ({part.role})"
        )
        track.notes = [
            pretty_midi.Note(velocity=n.velocity, pitch=n.pitch, start=n.start, end=n.end)
            for n in part.notes
        ]
        music.instruments.append(track)
    return music


def midi_bytes(score: Score) -> bytes:
    """The score's MIDI file, as bytes (the same score gives the same bytes)."""
    buffer = io.BytesIO()
    to_midi(score).write(buffer)
    return buffer.getvalue()
