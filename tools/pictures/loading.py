"""Open a picture safely: bounded memory, every common mode, a clear message for a bad file.

A picture is decoded once and kept only as a preview of at most :data:`PREVIEW_SIDE`
pixels a side. JPEG files are decoded at a reduced scale (Pillow's ``draft``), so large
photographs stay cheap; other formats are refused above :data:`MAX_PIXELS`, as is any
file above Pillow's own decompression-bomb limit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from tools.kernel.errors import InputError

PREVIEW_SIDE = 1024
"""The longer side of the kept preview, in pixels."""
MAX_PIXELS = 40_000_000
"""Largest picture decoded at full size (everything but JPEG), in pixels."""
READABLE = "PNG, JPEG, GIF, BMP, TIFF or WebP"
GRAYSCALE_MODES = ("1", "L", "LA", "La", "I", "F")
ROTATED = (5, 6, 7, 8)
"""EXIF orientations that turn the picture a quarter (width and height swap)."""


@dataclass(frozen=True)
class Picture:
    """A picture as read: its facts, notes on how it was read, and a small RGBA preview."""

    path: Path
    format: str
    mode: str
    """Pillow's mode of the file (``RGB``, ``L``, ``CMYK``, ``P``, ``RGBA``, ``I;16``...)."""
    width: int
    """Width as the picture is meant to be seen (after its EXIF rotation)."""
    height: int
    preview: Image.Image
    """RGBA, at most :data:`PREVIEW_SIDE` on its longer side."""
    notes: tuple[str, ...]
    """How it was read: first frame of an animation, grayscale, CMYK, transparency."""
    grayscale: bool


def open_picture(path: Path) -> Picture:
    """Read ``path``; InputError with what to do when it cannot be read safely."""
    _check_path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError:
            limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6
            raise _too_large(path, f"over {limit:.0f} megapixels, Pillow's safety limit") from None
        except UnidentifiedImageError:
            raise InputError(
                f"{path} is not a picture teamgraph can read: give a {READABLE} file."
            ) from None
        except OSError as error:
            raise InputError(f"Cannot read {path}: {error}.") from None
        with image:
            return _read(path, image)


def _check_path(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path} does not exist: give the path of a picture.")
    if path.is_dir():
        raise InputError(f"{path} is a folder: give the path of a picture file.")


def _too_large(path: Path, detail: str) -> InputError:
    return InputError(
        f"{path} is too large to read safely ({detail}): scale it down to at most "
        f"{MAX_PIXELS // 1_000_000} megapixels (JPEG photographs may be larger: they are "
        "read at a reduced scale)."
    )


def _read(path: Path, image: Image.Image) -> Picture:
    width, height = image.size
    kind = image.format or "unknown"
    if kind != "JPEG" and width * height > MAX_PIXELS:
        size = f"{width} x {height} pixels, {width * height / 1e6:.0f} megapixels"
        raise _too_large(path, size)
    notes = []
    if getattr(image, "is_animated", False):
        notes.append(f"animated {kind}: only its first frame was analysed")
    mode = image.mode
    if kind == "JPEG":
        image.draft(None, (PREVIEW_SIDE, PREVIEW_SIDE))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise InputError(
            f"{path} is a damaged {kind} file ({error}): it cannot be decoded; "
            "open and save it again, or give another picture."
        ) from None
    preview = image.convert("I") if image.mode.startswith("I;16") else image
    preview.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    orientation = image.getexif().get(0x0112, 1)
    preview = ImageOps.exif_transpose(preview)
    if orientation in ROTATED:
        width, height = height, width
    grayscale = mode.startswith("I;16") or mode in GRAYSCALE_MODES
    rgba = _as_rgba(preview, mode, notes)
    return Picture(path, kind, mode, width, height, rgba, tuple(notes), grayscale)


def _as_rgba(image: Image.Image, mode: str, notes: list[str]) -> Image.Image:
    """The preview as RGBA (deep grayscale scaled to 8 bits), with notes on the conversion."""
    if image.mode in ("I", "F"):
        levels = np.asarray(image, dtype=np.float64)
        top = float(levels.max()) if levels.size else 0.0
        full = 1.0 if image.mode == "F" and top <= 1.0 else 255.0 if top <= 255 else 65535.0
        full = max(full, top)
        image = Image.fromarray(np.round(levels / full * 255).astype(np.uint8), "L")
        notes.append(f"{mode} grayscale scaled to 8 bits")
    if mode == "CMYK":
        notes.append("CMYK colours converted to RGB")
    if mode.startswith("I;16") or mode in GRAYSCALE_MODES:
        notes.append("grayscale: there is no colour to measure")
    rgba = image.convert("RGBA")
    lowest_alpha = rgba.getchannel("A").getextrema()[0]
    if isinstance(lowest_alpha, int | float) and lowest_alpha < 255:
        notes.append("partly transparent: only what is visible was measured")
    return rgba
