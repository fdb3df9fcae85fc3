"""Indexes kept on disk beside what they index, loaded (memory-mapped) instead of rebuilt.

A saved index is a folder named after the digest of its key (what it was built from: a
collection's id and generation, a corpus file's size and time) holding its arrays end to
end in one file and their layout in another. It is loaded only for the same key, and
memory-mapped in one piece, so a new process reads just the pages a query touches. It
is written into a temporary folder and renamed into place: a reader never sees half an
index, and of two processes saving the same one, one wins whole.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
"""Bumped when the arrays of an index change meaning (older saved indexes are then rebuilt)."""


def _digest(key: Mapping[str, Any]) -> str:
    text = json.dumps({**key, "format": FORMAT}, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


ALIGN = 64


def load_arrays(
    folder: Path, key: Mapping[str, Any], names: tuple[str, ...]
) -> dict[str, np.ndarray] | None:
    """The arrays saved in ``folder`` for ``key`` (memory-mapped), or None if there are none."""
    place = folder / _digest(key)
    try:
        layout = json.loads((place / "layout.json").read_text(encoding="utf-8"))
        with (place / "arrays.bin").open("rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        arrays = {}
        for name in names:
            dtype, shape, offset = layout[name]
            count = math.prod(shape)
            flat = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=offset)
            arrays[name] = flat.reshape(shape)
        return arrays
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_arrays(folder: Path, key: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> bool:
    """Save ``arrays`` for ``key`` in ``folder``, dropping indexes of other keys.

    Returns False (and keeps nothing) when the folder cannot be written: the index then
    works from memory, as before it was saved.
    """
    place = folder / _digest(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".saving-", dir=folder))
    except OSError:
        return False
    try:
        _write(staging, key, arrays)
        os.rename(staging, place)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        return place.is_dir()
    for other in folder.iterdir():
        if other != place and not other.name.startswith(".saving-"):
            shutil.rmtree(other, ignore_errors=True)
    return True


def _write(staging: Path, key: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """The arrays end to end (each at a multiple of ALIGN bytes), then their layout."""
    layout: dict[str, tuple[str, list[int], int]] = {}
    with (staging / "arrays.bin").open("wb") as file:
        for name, array in arrays.items():
            file.write(b"\0" * (-file.tell() % ALIGN))
            data = np.ascontiguousarray(array)
            layout[name] = (data.dtype.str, list(data.shape), file.tell())
            file.write(data.tobytes())
        file.write(b"\0" * ALIGN)
    (staging / "layout.json").write_text(json.dumps(layout), encoding="utf-8")
    (staging / "key.json").write_text(json.dumps(dict(key), default=str), encoding="utf-8")
