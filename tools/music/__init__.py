"""Music made in code: theory, a composer, MIDI, a synthesizer, WAV, and pluggable renderers.

Nothing here calls a model: a brief (key, mode, tempo, meter, instruments, progression,
dynamics, length) and a seed always give the same notes and the same bytes.
"""
