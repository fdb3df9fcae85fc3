"""Read the header of a GGUF model file: its version and its metadata before the tensors.

Only what is needed to tell a file apart (``general.name``, ``general.architecture``, the
chat template) is read; the weights are never loaded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"GGUF"
SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
STRING = 8
ARRAY = 9
MAX_STRING_BYTES = 16 * 1024 * 1024
"""Longer than any real key or value (chat templates run to a few kB); a larger length
means the file is not GGUF."""


class GGUFError(ValueError):
    """The file is not a GGUF model file, or its header is cut short."""


@dataclass(frozen=True)
class GGUFHeader:
    """The version and the metadata of a GGUF file."""

    version: int
    tensor_count: int
    metadata: dict[str, Any]

    @property
    def name(self) -> str:
        """The model's own name (``general.name``), or "" if the file gives none."""
        return str(self.metadata.get("general.name", ""))

    @property
    def architecture(self) -> str:
        """The model's architecture (``general.architecture``), e.g. ``qwen2``."""
        return str(self.metadata.get("general.architecture", ""))


def read_header(path: Path, until: str | None = None) -> GGUFHeader:
    """Read the header of the GGUF file at ``path``; GGUFError if it is not one.

    With ``until``, reading stops after that key (the tokenizer's long lists follow the
    general keys, so ``until="general.name"`` reads a few hundred bytes).
    """
    with path.open("rb") as stream:
        if stream.read(4) != MAGIC:
            raise GGUFError(f"{path.name} is not a GGUF file (it does not start with GGUF)")
        version, tensors, count = _unpack(stream, "<IQQ")
        metadata: dict[str, Any] = {}
        for _ in range(count):
            key = _string(stream)
            metadata[key] = _value(stream, _unpack(stream, "<I")[0])
            if key == until:
                break
    return GGUFHeader(version, tensors, metadata)


def _unpack(stream: BinaryIO, layout: str) -> tuple[Any, ...]:
    size = struct.calcsize(layout)
    data = stream.read(size)
    if len(data) != size:
        raise GGUFError("the GGUF header ends early")
    return struct.unpack(layout, data)


def _string(stream: BinaryIO) -> str:
    (length,) = _unpack(stream, "<Q")
    if length > MAX_STRING_BYTES:
        raise GGUFError(f"a GGUF string claims {length} bytes")
    data = stream.read(length)
    if len(data) != length:
        raise GGUFError("the GGUF header ends early")
    return data.decode("utf-8", errors="replace")


def _value(stream: BinaryIO, kind: int) -> Any:
    if kind in SCALARS:
        return _unpack(stream, SCALARS[kind])[0]
    if kind == STRING:
        return _string(stream)
    if kind == ARRAY:
        item_kind, length = _unpack(stream, "<IQ")
        return [_value(stream, item_kind) for _ in range(length)]
    raise GGUFError(f"unknown GGUF value type {kind}")
