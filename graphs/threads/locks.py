"""One process runs a thread at a time: an exclusive lock per thread while a process runs it.

The lock is an ``flock`` on ``TEAMGRAPH_HOME/locks/<thread>.lock``; the kernel releases it
when its holder exits in any way (``kill -9`` included), so a dead holder never blocks.
With TEAMGRAPH_CHECKPOINT_URL set, the lock is held in that database instead, so it
holds across machines (see :mod:`graphs.threads.database_lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from graphs.threads.database_lock import hold_in_database, running_in_database
from graphs.threads.location import checkpoint_url
from tools.kernel.errors import TeamgraphError
from tools.kernel.files import make_folder
from tools.kernel.home import teamgraph_home


def lock_path(thread: str) -> Path:
    """The lock file of ``thread``."""
    folder = teamgraph_home() / "locks"
    make_folder(
        folder,
        lambda why: TeamgraphError(
            f"Cannot make the threads' lock folder {folder} ({why}): move what is in its place "
            "aside, or set TEAMGRAPH_HOME to another folder."
        ),
    )
    return folder / (hashlib.sha1(thread.encode()).hexdigest()[:20] + ".lock")


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid else ""


@contextlib.contextmanager
def hold_thread(thread: str | None) -> Iterator[None]:
    """Hold ``thread``'s lock while the block runs; fail at once if another process holds it."""
    if thread is None:
        yield
        return
    url = checkpoint_url()
    if url:
        with hold_in_database(url, thread):
            yield
        return
    path = lock_path(thread)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TeamgraphError(
                f"Thread {thread!r} is being run by another process{_holder(path)}: wait for "
                "it to end, or stop it (Ctrl-C) and `teamgraph resume` it. Nothing was run."
            ) from None
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        yield
    finally:
        os.close(handle)


def is_running(thread: str) -> bool:
    """Whether another process holds ``thread``'s lock now."""
    url = checkpoint_url()
    if url:
        return running_in_database(url, thread)
    return held_here(thread)


def held_here(thread: str) -> bool:
    """Whether a process of this machine holds ``thread``'s file lock now."""
    path = lock_path(thread)
    if not path.exists():
        return False
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False
