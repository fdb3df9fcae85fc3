"""WAV files: 16-bit PCM from float frames, and their length read back."""

from __future__ import annotations

import io
import wave

import numpy as np

from tools.music.audio import Audio

BLOCK_FRAMES = 1 << 18
"""Frames converted at a time, so converting needs little memory beyond the file itself."""


def wav_bytes(audio: Audio) -> bytes:
    """``audio`` as a 16-bit PCM WAV file (samples beyond [-1, 1] are clipped)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as stream:
        stream.setnchannels(audio.channels)
        stream.setsampwidth(2)
        stream.setframerate(audio.sample_rate)
        for start in range(0, len(audio.samples), BLOCK_FRAMES):
            block = np.clip(audio.samples[start : start + BLOCK_FRAMES], -1.0, 1.0)
            stream.writeframesraw(np.round(block * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def read_wav(data: bytes) -> Audio:
    """A 16-bit PCM WAV file's frames as floats in [-1, 1]."""
    with wave.open(io.BytesIO(data), "rb") as stream:
        if stream.getsampwidth() != 2:
            raise ValueError("only 16-bit PCM WAV files are read")
        channels = stream.getnchannels()
        rate = stream.getframerate()
        raw = stream.readframes(stream.getnframes())
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32767
    return Audio(samples.reshape(-1, channels), rate)
