"""Threads and run ledgers in PostgreSQL: LangGraph's PostgresSaver and PostgresStore on a pool.

The first use of a database sets its schema up (one process at a time), a schema written
by a newer version is refused, and a failure to connect is one line naming the URL with
its password hidden. One connection pool per URL per process, closed at exit.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import time
from typing import Any

from graphs.threads.location import CHECKPOINT_URL_ENV, checked_url
from graphs.threads.postgres_errors import DatabaseError, connection_error
from tools.kernel.errors import TeamgraphError
from tools.kernel.urls import masked

POOL_MAX = 10
"""Connections one process may hold: parallel branches, the ledger and reads share them."""
CONNECT_TIMEOUT_S = 10
POOL_WAIT_S = 15.0
"""How long a step waits for a free connection (or for the database to answer) before failing."""
PROBE_TIMEOUT_S = 3
"""How long asking a database that was lost whether it answers again may take."""
SETUP_LOCK = 7_310_593_858_020_487_785
"""The advisory lock that lets one process at a time set a database's schema up."""
SETUP_WAIT_S = 120.0
INSTALL = "pip install 'teamgraph[postgres]'"

_pools: dict[str, Any] = {}
_pools_lock = threading.Lock()


def _driver(source: str = CHECKPOINT_URL_ENV) -> Any:
    """psycopg, once the packages PostgreSQL threads need are found installed."""
    try:
        import langgraph.checkpoint.postgres  # noqa: F401
        import langgraph.store.postgres  # noqa: F401
        import psycopg
        import psycopg_pool  # noqa: F401
    except ImportError as error:
        raise TeamgraphError(
            f"{source} names PostgreSQL, but {error.name or 'its driver'} is not installed: "
            f"{INSTALL}"
        ) from None
    return psycopg


def application_name() -> str:
    """How this process shows in the database's sessions (the thread lock names its holder)."""
    return f"teamgraph pid {os.getpid()} on {socket.gethostname()}"[:63]


def connection_options() -> dict[str, Any]:
    """What every connection needs: autocommit and dict rows (as LangGraph's savers expect)."""
    from psycopg.rows import dict_row

    return {
        "autocommit": True,
        "prepare_threshold": 0,
        "row_factory": dict_row,
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": application_name(),
    }


def connect(url: str, source: str = CHECKPOINT_URL_ENV) -> Any:
    """One connection to ``url``, or a one-line error saying what to fix."""
    psycopg = _driver(source)
    checked_url(url, source)
    try:
        return psycopg.connect(url, **connection_options())
    except psycopg.Error as error:
        raise connection_error(url, error, source) from None


def pool(url: str, source: str = CHECKPOINT_URL_ENV) -> Any:
    """The connection pool of ``url`` in this process, the schema set up on first use."""
    with _pools_lock:
        if url not in _pools:
            from psycopg_pool import ConnectionPool

            # a lost database is said once, by the run; not as a warning per reconnect attempt
            logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
            with connect(url, source) as connection:
                ensure_schema(connection, url)
            opened: Any = _pool_class(ConnectionPool)(
                url,
                min_size=1,
                max_size=POOL_MAX,
                kwargs=connection_options(),
                timeout=POOL_WAIT_S,
                check=ConnectionPool.check_connection,
                name="teamgraph",
                open=True,
            )
            atexit.register(opened.close)
            _pools[url] = opened
        return _pools[url]


def answers(url: str) -> bool:
    """Whether the database at ``url`` takes a new connection now (within a few seconds)."""
    psycopg = _driver()
    try:
        with psycopg.connect(url, connect_timeout=PROBE_TIMEOUT_S):
            return True
    except psycopg.Error:
        return False


def _pool_class(base: type) -> type:
    """``base`` (psycopg's ConnectionPool) failing at once while its database is known lost.

    A wait for a connection that times out because the database stopped answering marks the
    pool lost; until a new connection is taken again, each wait first asks the database and
    fails at once if it still does not answer. Without this, every step and ledger write
    still in flight would wait its full POOL_WAIT_S, one after the other, before the run
    could say the database is gone.
    """

    class FailingFastPool(base):
        lost = False

        def getconn(self, timeout: float | None = None) -> Any:
            from psycopg_pool import PoolTimeout

            if self.lost and not answers(self.conninfo):
                raise PoolTimeout("the database stopped answering")
            try:
                connection = super().getconn(timeout)
            except PoolTimeout:
                self.lost = not answers(self.conninfo)
                raise
            self.lost = False
            return connection

    return FailingFastPool


def open_checkpointer(url: str, source: str = CHECKPOINT_URL_ENV) -> Any:
    """A PostgresSaver on ``url``'s pool (``source`` names the setting, for errors)."""
    _driver(source)
    from langgraph.checkpoint.postgres import PostgresSaver

    return PostgresSaver(pool(url, source))


def open_store(url: str, source: str = CHECKPOINT_URL_ENV) -> Any:
    """A PostgresStore on ``url``'s pool (it keeps every run's model calls)."""
    _driver(source)
    from langgraph.store.postgres import PostgresStore

    return PostgresStore(pool(url, source))


def schema_versions(connection: Any) -> dict[str, tuple[int, int]]:
    """Table -> (version in the database, -1 if none; the version this teamgraph writes)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.store.postgres import PostgresStore

    known = {
        "checkpoint_migrations": len(PostgresSaver.MIGRATIONS) - 1,
        "store_migrations": len(PostgresStore.MIGRATIONS) - 1,
    }
    found = {}
    for table, ours in known.items():
        exists = connection.execute("SELECT to_regclass(%s) AS t", (table,)).fetchone()["t"]
        row = connection.execute(f"SELECT max(v) AS v FROM {table}").fetchone() if exists else None
        version = row["v"] if row and row["v"] is not None else -1
        found[table] = (version, ours)
    return found


def ensure_schema(connection: Any, url: str) -> None:
    """Create or bring the schema up to date; refuse one newer than this version knows."""
    versions = schema_versions(connection)
    newer = {table: v for table, v in versions.items() if v[0] > v[1]}
    if newer:
        table, (theirs, ours) = next(iter(newer.items()))
        raise DatabaseError(
            f"The threads in {masked(url)} were written by a newer teamgraph ({table} "
            f"version {theirs}, this one knows up to {ours}): upgrade teamgraph and "
            "langgraph-checkpoint-postgres, or point TEAMGRAPH_CHECKPOINT_URL at another "
            "database."
        )
    if all(theirs == ours for theirs, ours in versions.values()):
        return
    _hold_setup_lock(connection)
    try:
        _set_up(connection, url, versions)
    finally:
        connection.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))


def _hold_setup_lock(connection: Any) -> None:
    """Wait for the setup lock by asking again and again.

    A blocked ask would hold a snapshot, which the setup's concurrent index builds wait for.
    """
    deadline = time.monotonic() + SETUP_WAIT_S
    query = "SELECT pg_try_advisory_lock(%s) AS got"
    while not connection.execute(query, (SETUP_LOCK,)).fetchone()["got"]:
        if time.monotonic() > deadline:
            raise DatabaseError("Another process has been setting the database up for too long.")
        time.sleep(0.2)


def _set_up(connection: Any, url: str, before: dict[str, tuple[int, int]]) -> None:
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.store.postgres import PostgresStore

    psycopg = _driver()
    try:
        PostgresSaver(connection).setup()
        PostgresStore(connection).setup()
    except psycopg.Error as error:
        theirs = min(v[0] for v in before.values())
        state = "has no schema yet" if theirs < 0 else f"has an older schema ({theirs})"
        raise DatabaseError(
            f"The database {masked(url)} {state} and it could not be set up "
            f"({str(error).strip().splitlines()[0]}): let a user who may create tables "
            "there run any teamgraph command once."
        ) from None
