"""Indexes kept on disk beside what they index, loaded (memory-mapped) instead of rebuilt.

An index is saved as one file, ``index.bin`` in its own folder: a short text header, then
the arrays end to end. The header's first line names the key the index was built for (a
collection's id and generation, a corpus file's size and time); the others give each
array's name, type, shape and offset. A process loads the file only if its key line is
the one it expects, memory-mapped in one piece with one open and no parsing beyond the
header, so it reads just the pages a query touches.

A new index is written to a temporary file in the same folder and renamed over the old
one: a reader never sees half an index (one that mapped the old file keeps it), of two
processes saving at once one wins whole, and a file of another key or one that cannot be
read (a damaged disk, a file cut short) is simply replaced.
"""

from __future__ import annotations

import contextlib
import math
import mmap
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np

FORMAT = 5
"""Bumped when the file or the arrays of an index change meaning (older ones are rebuilt)."""
FILE = "index.bin"
STAGING = ".saving-"
STALE_AFTER_SECONDS = 3600
"""A temporary file this old was left by a process that stopped while saving."""
ALIGN = 64
LENGTH_BYTES = 8
"""The header's length, little-endian, opens the file."""


def key_line(key: Mapping[str, object]) -> bytes:
    """The header's first line for ``key``: the format, then each ``name=value``."""
    pairs = " ".join(f"{name}={value!r}" for name, value in key.items())
    return f"teamgraph-index {FORMAT} {pairs}\n".encode()


def load_arrays(
    folder: Path, key: Mapping[str, object], names: tuple[str, ...]
) -> dict[str, np.ndarray] | None:
    """The arrays saved in ``folder`` for ``key`` (memory-mapped), or None.

    None when nothing is saved, when what is saved is for another key, or when it cannot
    be read whole: the caller then builds the index and saves it in its place.
    """
    try:
        descriptor = os.open(os.path.join(folder, FILE), os.O_RDONLY)
    except OSError:
        return None
    try:
        mapped = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)
    try:
        return _arrays(mapped, key_line(key), names)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None


def _arrays(mapped: mmap.mmap, expected: bytes, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The arrays ``names`` of a mapped index file saved for the key line ``expected``.

    KeyError if it was saved for another key; ValueError if it is not an index file.
    """
    length = int.from_bytes(mapped[:LENGTH_BYTES], "little")
    if mapped[LENGTH_BYTES : LENGTH_BYTES + len(expected)] != expected:
        raise KeyError("saved for another key")
    start = _data_start(length)
    header = mapped[LENGTH_BYTES + len(expected) : LENGTH_BYTES + length].decode("ascii")
    layout = {}
    for line in header.splitlines():
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


def save_arrays(folder: Path, key: Mapping[str, object], arrays: Mapping[str, np.ndarray]) -> bool:
    """Save ``arrays`` for ``key`` in ``folder``, in place of whatever was saved there.

    Returns False (and keeps nothing) when the folder cannot be written: the index then
    works from memory, as before it was saved.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, staging = tempfile.mkstemp(prefix=STAGING, suffix=".bin", dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write(file, key_line(key), arrays)
        os.replace(staging, folder / FILE)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        return False
    _drop_leftovers(folder)
    return True


def _drop_leftovers(folder: Path) -> None:
    """Remove what the folder holds besides the index: older layouts, stale temporary files."""
    stale_before = time.time() - STALE_AFTER_SECONDS
    for entry in os.scandir(folder):
        if entry.name == FILE:
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            elif not entry.name.startswith(STAGING) or entry.stat().st_mtime < stale_before:
                os.unlink(entry.path)


def _write(file: BinaryIO, first_line: bytes, arrays: Mapping[str, np.ndarray]) -> None:
    """The header (``first_line``, then the layout), then the arrays at multiples of ALIGN."""
    data = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    offsets: dict[str, int] = {}
    at = 0
    for name, array in data.items():
        at += -at % ALIGN
        offsets[name] = at
        at += array.nbytes
    header = first_line + "".join(
        f"{name} {array.dtype.str} {','.join(map(str, array.shape))} {offsets[name]}\n"
        for name, array in data.items()
    ).encode("ascii")
    start = _data_start(len(header))
    file.write(len(header).to_bytes(LENGTH_BYTES, "little") + header)
    for name, array in data.items():
        file.write(b"\0" * (start + offsets[name] - file.tell()))
        file.write(array.tobytes())
    file.write(b"\0" * ALIGN)
