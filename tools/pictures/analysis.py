"""Measure a picture's pixels: light, contrast, colour, warmth, texture, shape.

Everything is computed from a copy of at most :data:`ANALYSIS_SIDE` pixels a side,
weighted by how visible each pixel is (transparent pixels count for nothing). Texture is
measured at that scale too: detail finer than about 1/250 of the picture (sensor grain,
fine print) averages out and does not count as busy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from tools.kernel.errors import InputError
from tools.pictures.colours import colour_shares
from tools.pictures.loading import Picture

ANALYSIS_SIDE = 256
WARM_HUE_DEGREES = 30.0
"""The warmest hue (orange); the coolest is opposite it (azure)."""
SOFTENING = 0.05
"""Added to the contrast busyness is divided by, so a flat picture is not called busy."""
LEAST_VISIBLE = 0.005
"""Below this share of visible pixels there is nothing to measure."""


@dataclass(frozen=True)
class PictureFeatures:
    """What the pixels of a picture measure."""

    width: int
    height: int
    format: str
    mode: str
    brightness: float
    """Mean luminance, 0 (black) to 1 (white)."""
    contrast: float
    """Standard deviation of the luminance."""
    saturation: float
    """Mean chroma (brightest minus dimmest channel), 0 (gray) to 1 (pure colour)."""
    warmth: float
    """Colour temperature, -1 (all azure) to +1 (all orange); 0 for gray or balanced."""
    texture: float
    """How busy the picture is: mean luminance change from a pixel to the next, relative to
    its overall contrast (about 0 for smooth gradients, 0.15-0.25 for photos, 0.3+ noise)."""
    top_minus_bottom: float
    """Brightness of the top third minus that of the bottom third."""
    colours: tuple[tuple[str, float], ...]
    """The dominant colours by name, with the share of the picture each covers."""
    visible: float
    """Share of pixels that are not transparent."""
    notes: tuple[str, ...]

    @property
    def orientation(self) -> str:
        """``landscape``, ``portrait`` or ``square``."""
        ratio = self.width / max(self.height, 1)
        return "landscape" if ratio > 1.1 else "portrait" if ratio < 0.9 else "square"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields (colours as ``[name, share]`` pairs), with the orientation."""
        fields = asdict(self)
        fields["colours"] = [list(pair) for pair in self.colours]
        fields["notes"] = list(self.notes)
        fields["orientation"] = self.orientation
        return fields

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PictureFeatures:
        """The features :meth:`as_dict` made."""
        fields = {k: v for k, v in data.items() if k != "orientation"}
        fields["colours"] = tuple((str(n), float(s)) for n, s in data["colours"])
        fields["notes"] = tuple(data["notes"])
        return cls(**fields)


def analyse(picture: Picture) -> PictureFeatures:
    """Measure ``picture``; InputError if nothing of it is visible."""
    small = picture.preview.copy()
    small.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE))
    pixels = np.asarray(small, dtype=np.float64) / 255
    rgb, alpha = pixels[..., :3], pixels[..., 3]
    if alpha.mean() < LEAST_VISIBLE:
        raise InputError(f"{picture.path} is fully transparent: there is nothing visible in it.")
    luma = rgb @ np.array([0.2126, 0.7152, 0.0722])
    brightness = _mean(luma, alpha)
    thirds = max(len(luma) // 3, 1)
    return PictureFeatures(
        width=picture.width,
        height=picture.height,
        format=picture.format,
        mode=picture.mode,
        brightness=_round(brightness),
        contrast=_round(_contrast(luma, alpha, brightness)),
        saturation=_round(_mean(_saturation(rgb), alpha)),
        warmth=_round(_mean(_warmth(rgb), alpha)),
        texture=_round(_texture(luma, alpha) / (_contrast(luma, alpha, brightness) + SOFTENING)),
        top_minus_bottom=_round(
            _mean(luma[:thirds], alpha[:thirds]) - _mean(luma[-thirds:], alpha[-thirds:])
        ),
        colours=colour_shares(rgb.reshape(-1, 3), alpha.reshape(-1)),
        visible=_round(float(alpha.mean())),
        notes=picture.notes,
    )


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return float((values * weights).sum() / total) if total > 0 else 0.0


def _contrast(luma: np.ndarray, alpha: np.ndarray, brightness: float) -> float:
    return float(np.sqrt(_mean((luma - brightness) ** 2, alpha)))


def _round(value: float) -> float:
    return round(float(value), 4)


def _saturation(rgb: np.ndarray) -> np.ndarray:
    """Chroma: a dark colour counts less than a bright one of the same hue."""
    return np.asarray(rgb.max(axis=-1) - rgb.min(axis=-1))


def _warmth(rgb: np.ndarray) -> np.ndarray:
    """Chroma times the cosine of the hue's angle from orange (opponent-colour hue)."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    a = red - (green + blue) / 2
    b = np.sqrt(3) / 2 * (green - blue)
    hue = np.arctan2(b, a)
    return np.hypot(a, b) * np.cos(hue - np.radians(WARM_HUE_DEGREES))


def _texture(luma: np.ndarray, alpha: np.ndarray) -> float:
    across = np.abs(np.diff(luma, axis=1))[:-1, :]
    down = np.abs(np.diff(luma, axis=0))[:, :-1]
    weights = alpha[:-1, :-1] * alpha[1:, 1:]
    return _mean(np.hypot(across, down), weights) if weights.size else 0.0
