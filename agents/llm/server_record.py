"""Where a machine's embedded model server is written down, and how it is found alive.

Each model file has one server on the machine at a time. Beside it (in a ``servers``
folder next to the model file, or ``TEAMGRAPH_HOME/servers`` where that is read-only)
live four files named after the model file:

- ``NAME.json``: the record of the running server (pid, URL, settings), written once it
  answers and removed when it stops;
- ``NAME.serving``: locked by the server process for as long as it lives (the system
  drops the lock when the process dies, even by ``kill -9``): while it is locked, no
  second server starts;
- ``NAME.starting``: locked by the process that finds or starts the server, so two
  processes never start one each;
- ``NAME.log``: what the server process printed (its last line says why it stopped).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from tools.kernel.errors import LocalModelError
from tools.kernel.files import write_atomically
from tools.kernel.home import teamgraph_home

HEALTH_TIMEOUT_S = 5.0
LOCK_WAIT_S = 0.2


@dataclass(frozen=True)
class ServerRecord:
    """A running server: who serves, where, which file, with which settings."""

    pid: int
    url: str
    """The server's root, e.g. ``http://127.0.0.1:41279`` (the OpenAI API is under /v1)."""
    model_file: str
    threads: int
    context_tokens: int
    parallel_slots: int
    idle_s: int
    """Seconds without a request after which it stops (0: never)."""
    started: float


@dataclass(frozen=True)
class ServerFiles:
    """The files of one model file's server."""

    folder: Path
    name: str

    @classmethod
    def for_model(cls, model_file: Path) -> ServerFiles:
        """The files for ``model_file``'s server, in the first folder that can be written."""
        path = model_file.resolve()
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        name = f"{path.stem}-{digest}"
        beside = path.parent / "servers"
        try:
            beside.mkdir(exist_ok=True)
            if os.access(beside, os.W_OK):
                return cls(beside, name)
        except OSError:
            pass
        folder = teamgraph_home() / "servers"
        folder.mkdir(exist_ok=True)
        return cls(folder, name)

    def path(self, kind: str) -> Path:
        """The file of this server with suffix ``kind`` (json, serving, starting, log)."""
        return self.folder / f"{self.name}.{kind}"

    def read(self) -> ServerRecord | None:
        """The record, or None if there is none (or it cannot be read)."""
        try:
            data = json.loads(self.path("json").read_text(encoding="utf-8"))
            return ServerRecord(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write(self, record: ServerRecord) -> None:
        """Write the record (atomically: a reader sees the old one or the new one)."""
        write_atomically(self.path("json"), json.dumps(asdict(record)))

    def remove(self, pid: int) -> None:
        """Remove the record if it is still the one of process ``pid``."""
        record = self.read()
        if record is not None and record.pid == pid:
            self.path("json").unlink(missing_ok=True)

    def last_words(self, lines: int = 1) -> str:
        """The last non-empty lines the server process printed."""
        try:
            text = self.path("log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        kept = [line.strip() for line in text.splitlines() if line.strip()]
        return " ".join(kept[-lines:])


def try_lock(path: Path) -> IO[Any] | None:
    """An exclusive lock on ``path`` if no other process holds it, else None."""
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


@contextmanager
def locked(path: Path, timeout_s: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path``, waiting up to ``timeout_s`` seconds for it."""
    deadline = time.monotonic() + timeout_s
    while (handle := try_lock(path)) is None:
        if time.monotonic() > deadline:
            raise LocalModelError(
                f"Another process has been starting the embedded model for {timeout_s:.0f} s "
                f"(lock {path}); try again, or stop it."
            )
        time.sleep(LOCK_WAIT_S)
    try:
        yield
    finally:
        handle.close()


def is_serving(files: ServerFiles) -> bool:
    """Whether a server process of these files is alive (it holds the serving lock)."""
    handle = try_lock(files.path("serving"))
    if handle is None:
        return True
    handle.close()
    return False


def answers(url: str, timeout_s: float = HEALTH_TIMEOUT_S) -> bool:
    """Whether the server at ``url`` says it is healthy (any failure to ask means no)."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout_s) as reply:
            return bool(reply.status == 200)
    except Exception:
        return False
