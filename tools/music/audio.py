"""Audio as renderers hand it back: float frames and their sample rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Audio:
    """Float frames in [-1, 1], shaped ``(frames, channels)``, at ``sample_rate`` per second."""

    samples: np.ndarray
    sample_rate: int

    @property
    def channels(self) -> int:
        """1 (mono) or 2 (stereo)."""
        return int(self.samples.shape[1])

    @property
    def seconds(self) -> float:
        """The length in seconds."""
        return self.samples.shape[0] / self.sample_rate

    @property
    def peak(self) -> float:
        """The largest absolute sample."""
        return float(np.max(np.abs(self.samples))) if self.samples.size else 0.0

    @property
    def rms(self) -> float:
        """The root-mean-square level (0 for silence)."""
        if not self.samples.size:
            return 0.0
        return float(np.sqrt(np.mean(np.square(self.samples, dtype=np.float64))))


def checked_audio(audio: object, source: str) -> Audio:
    """``audio`` if it is usable: an Audio of finite frames, 1 or 2 channels, a positive rate."""
    if not isinstance(audio, Audio):
        raise ValueError(f"the {source} renderer returned {type(audio).__name__}, not an Audio")
    samples = audio.samples
    if not isinstance(samples, np.ndarray) or samples.ndim != 2 or samples.shape[1] not in (1, 2):
        raise ValueError(f"the {source} renderer's samples must be shaped (frames, 1 or 2)")
    if audio.sample_rate <= 0 or not samples.shape[0]:
        raise ValueError(f"the {source} renderer returned no audio")
    if not np.all(np.isfinite(samples)):
        raise ValueError(f"the {source} renderer returned samples that are not finite numbers")
    return audio
