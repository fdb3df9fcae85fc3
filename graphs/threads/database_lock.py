"""One runner per thread across machines: a lock held in the threads' PostgreSQL database.

The lock is a session advisory lock on a connection of its own, held while the run lasts.
PostgreSQL releases it when that session ends in any way: the holder exits, is killed
(``kill -9``), or its machine drops off the network (once the server notices).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

from graphs.threads.postgres import connect, pool
from tools.kernel.errors import TeamgraphError

NAMESPACE = b"teamgraph-thread:"


def lock_key(thread: str) -> int:
    """The thread's advisory-lock key: a signed 64-bit number from its id."""
    digest = hashlib.sha1(NAMESPACE + thread.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _holder(connection: Any, key: int) -> str:
    """`` (teamgraph pid N on HOST)``: who holds the lock, as its session calls itself."""
    row = connection.execute(
        "SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a "
        "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.classid = %s AND l.objid = %s LIMIT 1",
        ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
    ).fetchone()
    return f" ({row['name']})" if row and row["name"] else ""


@contextlib.contextmanager
def hold_in_database(url: str, thread: str) -> Iterator[None]:
    """Hold ``thread``'s lock while the block runs; fail at once if any process holds it."""
    key = lock_key(thread)
    connection = connect(url)
    try:
        got = connection.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
        if not got["got"]:
            raise TeamgraphError(
                f"Thread {thread!r} is being run by another process{_holder(connection, key)}: "
                "wait for it to end, or stop it (Ctrl-C) and `teamgraph resume` it. Nothing "
                "was run."
            )
        yield
    finally:
        connection.close()


def running_in_database(url: str, thread: str) -> bool:
    """Whether a process anywhere holds ``thread``'s lock now."""
    key = lock_key(thread)
    with pool(url).connection() as connection:
        free = connection.execute(
            "SELECT pg_try_advisory_lock_shared(%s) AS got", (key,)
        ).fetchone()["got"]
        if free:
            connection.execute("SELECT pg_advisory_unlock_shared(%s)", (key,))
        return not free
