"""Indexes kept on disk beside what they index, loaded (memory-mapped) instead of rebuilt.

A saved index is a folder named after the digest of its key (what it was built from: a
collection's id and generation, a corpus file's size and time) holding one file: a short
text header giving each array's name, type, shape and offset, then the arrays end to
end. It is loaded only for the same key, and memory-mapped in one piece with one open
and no parsing beyond the header, so a new process reads just the pages a query touches.
It is written into a temporary folder and renamed into place: a reader never sees half
an index, and of two processes saving the same one, one wins whole. A saved index that
cannot be read (a damaged disk, a file cut short) is replaced by the next save.
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

FORMAT = 2
"""Bumped when the file or the arrays of an index change meaning (older ones are rebuilt)."""
FILE = "index.bin"
ALIGN = 64
LENGTH_BYTES = 8
"""The header's length, little-endian, opens the file."""


def _digest(key: Mapping[str, Any]) -> str:
    text = repr(sorted({**key, "format": FORMAT}.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def load_arrays(
    folder: Path, key: Mapping[str, Any], names: tuple[str, ...]
) -> dict[str, np.ndarray] | None:
    """The arrays saved in ``folder`` for ``key`` (memory-mapped), or None if there are none.

    None also when the saved file cannot be read whole: the caller then builds the index.
    """
    return _load(folder / _digest(key), names)


def _load(place: Path, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The arrays ``names`` of the index saved in ``place``, or None if it cannot be read."""
    try:
        descriptor = os.open(os.path.join(place, FILE), os.O_RDONLY)
    except OSError:
        return None
    try:
        mapped = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)
    try:
        return _arrays(mapped, names)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None


def _arrays(mapped: mmap.mmap, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The arrays ``names`` of a mapped index file (ValueError if it is not one)."""
    length = int.from_bytes(mapped[:LENGTH_BYTES], "little")
    start = _data_start(length)
    layout = {}
    for line in mapped[LENGTH_BYTES : LENGTH_BYTES + length].decode("ascii").splitlines():
        name, dtype, shape, offset = line.split(" ")
        layout[name] = (dtype, shape, offset)
    arrays = {}
    for name in names:
        dtype, shape, offset = layout[name]
        sizes = [int(size) for size in shape.split(",") if size]
        flat = np.frombuffer(mapped, np.dtype(dtype), math.prod(sizes), start + int(offset))
        arrays[name] = flat if len(sizes) == 1 else flat.reshape(sizes)
    return arrays


def _data_start(header_length: int) -> int:
    """Where the arrays begin: the first multiple of ALIGN after the header."""
    end = LENGTH_BYTES + header_length
    return end + -end % ALIGN


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
        _publish(staging, place, tuple(arrays))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        return place.is_dir()
    for other in folder.iterdir():
        if other != place and not other.name.startswith(".saving-"):
            shutil.rmtree(other, ignore_errors=True)
    return True


def _publish(staging: Path, place: Path, names: tuple[str, ...]) -> None:
    """Rename ``staging`` to ``place``; a saved index there that cannot be read is replaced."""
    try:
        os.rename(staging, place)
    except OSError:
        if _load(place, names) is not None:
            raise
        shutil.rmtree(place, ignore_errors=True)
        os.rename(staging, place)


def _write(staging: Path, key: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """The header, then the arrays end to end (each at a multiple of ALIGN bytes)."""
    data = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    offsets: dict[str, int] = {}
    at = 0
    for name, array in data.items():
        at += -at % ALIGN
        offsets[name] = at
        at += array.nbytes
    header = "".join(
        f"{name} {array.dtype.str} {','.join(map(str, array.shape))} {offsets[name]}\n"
        for name, array in data.items()
    ).encode("ascii")
    start = _data_start(len(header))
    with (staging / FILE).open("wb") as file:
        file.write(len(header).to_bytes(LENGTH_BYTES, "little") + header)
        for name, array in data.items():
            file.write(b"\0" * (start + offsets[name] - file.tell()))
            file.write(array.tobytes())
        file.write(b"\0" * ALIGN)
    (staging / "key.json").write_text(json.dumps(dict(key), default=str), encoding="utf-8")
