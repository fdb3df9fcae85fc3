"""Pictures made in code and briefs as JSON, for the compose team's tests."""

import json
from pathlib import Path

import numpy as np
from PIL import Image

from tools.music.audio import Audio


def brief(**changes) -> dict:
    fields = {
        "title": "Morning light",
        "mood": "sunny, lively",
        "key": "D",
        "mode": "major",
        "tempo_bpm": 112,
        "meter": "4/4",
        "instruments": ["Acoustic Grand Piano", "Flute", "Acoustic Bass"],
        "progression": ["I", "V", "vi", "IV"],
        "dynamics": ["mp", "f", "mp"],
        "seconds": 12,
    }
    return {**fields, **changes}


def brief_json(**changes) -> str:
    return json.dumps(brief(**changes))


DIRGE = brief_json(title="Dirge", mode="minor", tempo_bpm=58, progression=["i", "iv", "v", "i"])
"""A slow minor piece: it contradicts a bright, warm picture."""


def warm_gradient(path: Path, size=(320, 240)) -> Path:
    """A bright orange-to-yellow gradient, brighter at the top."""
    width, height = size
    across = np.linspace(0.0, 1.0, width)[None, :]
    down = np.linspace(0.0, 1.0, height)[:, None]
    red = np.ones((height, width))
    green = 0.55 + 0.35 * across - 0.1 * down
    blue = 0.12 + 0.15 * down + 0 * across
    Image.fromarray(_bytes(np.stack([red, green, blue], axis=2))).save(path)
    return path


def dark_cool_noise(path: Path, size=(320, 240), seed=7, cell=4) -> Path:
    """Dark blue noise in cells of ``cell`` pixels: busy at any scale the analysis looks at."""
    width, height = size
    rng = np.random.default_rng(seed)
    cells = rng.random((height // cell + 1, width // cell + 1, 1))
    shade = cells.repeat(cell, axis=0).repeat(cell, axis=1)[:height, :width]
    base = np.array([0.04, 0.1, 0.3]) + np.array([0.1, 0.2, 0.45]) * shade
    Image.fromarray(_bytes(base)).save(path)
    return path


def _bytes(values: np.ndarray) -> np.ndarray:
    return (np.clip(values, 0, 1) * 255).round().astype(np.uint8)


class QuietRenderer:
    """A renderer plugged in by name: a quiet sine at the request's length."""

    name = "quiet-sine"

    def __init__(self):
        self.requests = []

    def render(self, request):
        self.requests.append(request)
        frames = int(request.seconds * request.sample_rate)
        tone = 0.1 * np.sin(2 * np.pi * 220 * np.arange(frames) / request.sample_rate)
        return Audio(tone.reshape(-1, 1).astype(np.float32), request.sample_rate)


class BrokenRenderer:
    """A renderer plugged in by name that fails."""

    name = "broken"

    def render(self, request):
        raise RuntimeError("the music service is down")
