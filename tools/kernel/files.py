"""Writing files without ever leaving a half-written one behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from tools.kernel.errors import InputError


def check_writable(path: Path) -> None:
    """Fail before the run if ``path`` cannot be written (missing folder, no permission)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"Cannot write to {path}: it is a directory; give a file name.")
    if not folder.is_dir():
        raise InputError(f"Cannot write to {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise InputError(f"Cannot write to {path}: no permission to write in {folder}.")
    problem = _cannot_create_in(folder)
    if problem:
        raise InputError(f"Cannot write to {path}: no file can be made in {folder} ({problem}).")


def make_folder(folder: Path, refused: Callable[[str], Exception]) -> Path:
    """``folder``, made with its parents if missing; ``refused(why)`` is raised if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refused(str(error.strerror or error)) from error
    return folder


def ready_folder(folder: Path, flag: str) -> Path:
    """Make ``folder`` (for files written after a long run) and check it takes a file.

    InputError naming ``flag`` if it cannot: said before the run, so no work is lost.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        problem: str | None = str(error.strerror or error)
    else:
        problem = _cannot_create_in(folder)
    if problem:
        raise InputError(
            f"Cannot write to {folder}: it cannot be made or written in ({problem}). "
            f"Choose another {flag}."
        )
    return folder


def _cannot_create_in(folder: Path) -> str | None:
    """Why no file can be made in ``folder``, found by making one, or None if one can.

    Permission bits do not tell: root may write anywhere they allow, and still not in
    ``/proc`` or on a file system mounted read-only.
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        return str(error.strerror or error)


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The mode ``path`` should have: its own if it exists, else a new file's (umask applied)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def _staged(path: Path, data: str | bytes) -> Path:
    """``data`` written to a temporary file beside ``path`` (removed again on failure).

    The temporary file (made private by ``mkstemp``) gets the mode the file should have.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, file_mode(path))
        if isinstance(data, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(data)
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as text:
                text.write(data)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) through a temporary file and an atomic rename."""
    write_all_atomically({path: data})


def write_all_atomically(files: Mapping[Path, str | bytes]) -> None:
    """Write several files, each atomically, and none unless every one could be staged.

    Every file is first written in full to a temporary file beside its target; only then
    are they renamed into place. A failure while staging leaves every target untouched.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_staged(path, data), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
