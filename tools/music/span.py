"""The audio a piece may have: its length range and sample rate (no music code)."""

from __future__ import annotations

SECONDS_RANGE = (1.0, 300.0)
"""Shortest and longest piece, in seconds."""
SAMPLE_RATE = 44100
"""Audio frames per second of the WAV."""
