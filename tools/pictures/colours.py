"""Names of colours: every pixel gets the nearest of a small named palette (in CIELAB)."""

from __future__ import annotations

import numpy as np

PALETTE: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("black", (15, 15, 15)),
    ("dark gray", (70, 70, 70)),
    ("gray", (128, 128, 128)),
    ("silver", (190, 190, 190)),
    ("white", (245, 245, 245)),
    ("red", (200, 30, 35)),
    ("maroon", (110, 20, 30)),
    ("pink", (240, 150, 180)),
    ("magenta", (200, 40, 160)),
    ("orange", (240, 130, 30)),
    ("brown", (115, 70, 35)),
    ("beige", (215, 190, 150)),
    ("yellow", (245, 220, 50)),
    ("olive", (120, 120, 40)),
    ("lime", (170, 220, 60)),
    ("green", (60, 160, 60)),
    ("dark green", (25, 80, 35)),
    ("teal", (20, 120, 120)),
    ("turquoise", (60, 200, 200)),
    ("sky blue", (130, 190, 240)),
    ("blue", (40, 80, 210)),
    ("navy", (20, 30, 90)),
    ("purple", (110, 50, 150)),
    ("lavender", (185, 160, 225)),
)
"""The colour names a description may use, each with a typical sRGB value."""


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """Convert sRGB values in [0, 1] (last axis R, G, B) to CIELAB (D65)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    matrix = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = linear @ matrix.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


PALETTE_LAB = to_lab(np.array([rgb for _, rgb in PALETTE], dtype=np.float64) / 255)


def colour_shares(
    rgb: np.ndarray, weights: np.ndarray, top: int = 3, least: float = 0.05
) -> tuple[tuple[str, float], ...]:
    """The ``top`` colour names covering most of the picture (each at least ``least``).

    ``rgb`` holds pixels in [0, 1] (shape ``(n, 3)``), ``weights`` how visible each one is.
    """
    lab = to_lab(rgb)
    distances = np.linalg.norm(lab[:, None, :] - PALETTE_LAB[None, :, :], axis=2)
    nearest = np.argmin(distances, axis=1)
    totals = np.bincount(nearest, weights=weights, minlength=len(PALETTE))
    shares = totals / max(float(totals.sum()), 1e-12)
    order = sorted(range(len(PALETTE)), key=lambda i: (-shares[i], i))
    return tuple(
        (PALETTE[i][0], round(float(shares[i]), 3)) for i in order[:top] if shares[i] >= least
    )
