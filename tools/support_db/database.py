"""Opening the support database: where it is, its schema version, locks, transactions.

Every problem a user can meet (no file, a file that is not a support database, a schema
from a newer teamgraph, another process holding the lock) ends in one
:class:`~tools.kernel.errors.TeamgraphError` that says what to do, with nothing changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.home import full_disk, teamgraph_home
from tools.support_db.schema import MIGRATIONS, SCHEMA_VERSION

DATABASE_FILE = "support.sqlite"
LOCK_WAIT_S = 5.0
"""How long to wait for another process's lock before saying the database is locked."""


def default_path() -> Path:
    """``TEAMGRAPH_HOME/support.sqlite``."""
    return teamgraph_home() / DATABASE_FILE


def resolve_path(path: str | Path | None) -> Path:
    """The database a run uses: ``path`` if given, else the default (absolute either way)."""
    return (Path(path).expanduser() if path else default_path()).resolve()


class DatabaseLocked(TeamgraphError):
    """Another process holds the support database's write lock."""


def locked(path: Path) -> DatabaseLocked:
    """The error for a database another process keeps locked."""
    return DatabaseLocked(
        f"The support database {path} is locked by another process; wait until it is done "
        "and try again. Nothing was changed."
    )


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    target = f"file:{path}?mode=ro" if read_only else str(path)
    connection = sqlite3.connect(
        target, uri=read_only, timeout=LOCK_WAIT_S, isolation_level=None, check_same_thread=False
    )
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a file teamgraph never set up)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def peek_version(path: Path) -> int:
    """The schema version of an existing file, read without changing it (0 if unreadable)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return schema_version(connection)
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def _has_tables(connection: sqlite3.Connection) -> bool:
    return (
        connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
        is not None
    )


def _check_version(connection: sqlite3.Connection, path: Path, *, fresh_ok: bool) -> int:
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise TeamgraphError(
            f"The support database {path} has schema version {version}, newer than this "
            f"teamgraph knows ({SCHEMA_VERSION}): upgrade teamgraph, or use another --db."
        )
    if version == 0 and (_has_tables(connection) or not fresh_ok):
        raise InputError(
            f"{path} is not a teamgraph support database: give another --db, or create one "
            "with `teamgraph support init`."
        )
    return version


@contextmanager
def transaction(connection: sqlite3.Connection, path: Path | None = None) -> Iterator[None]:
    """One write transaction (``BEGIN IMMEDIATE``): all of it is kept, or none of it."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise locked(path or Path("?")) from error
        raise
    try:
        yield
    except BaseException:
        if connection.in_transaction:  # SQLite may have ended it already (a full disk)
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def check_writable(connection: sqlite3.Connection, path: Path) -> None:
    """Fail now if the database cannot be written (a read-only file or folder, a full disk).

    Writes its own schema version back inside a transaction that is rolled back, so the
    check changes nothing.
    """
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(f"PRAGMA user_version = {schema_version(connection)}")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise locked(path) from error
        if "full" in str(error):
            raise full_disk(path) from error
        if "readonly" in str(error):
            raise TeamgraphError(
                f"The support database {path} is read-only ({error}): make the file and its "
                "folder writable, or give another --db. Nothing was run."
            ) from error
        raise TeamgraphError(
            f"Cannot write to the support database {path} ({error}): free some space or "
            "give another --db. Nothing was run."
        ) from error


def migrate(connection: sqlite3.Connection, path: Path) -> list[int]:
    """Run the migrations the file lacks, one transaction each; returns the versions run."""
    current = schema_version(connection)
    ran: list[int] = []
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with transaction(connection, path):
            for statement in migration.statements:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {migration.version}")
        ran.append(migration.version)
    return ran


def _opened(path: Path, read_only: bool) -> sqlite3.Connection:
    try:
        return _connect(path, read_only)
    except sqlite3.Error as error:
        raise TeamgraphError(f"Cannot open the support database {path}: {error}.") from error


def open_database(path: str | Path | None = None, *, create: bool = False) -> sqlite3.Connection:
    """A read-write connection to the database at ``path``, migrated to the current schema.

    Args:
        path: the database file (default ``TEAMGRAPH_HOME/support.sqlite``).
        create: make the file and its schema if it does not exist (``support init``).

    Raises:
        InputError: no database there (and not ``create``), or a file that is not one.
        TeamgraphError: a schema from a newer teamgraph, a locked or unreadable file.
    """
    where = resolve_path(path)
    if not where.exists() and not create:
        raise InputError(
            f"No support database at {where}: create one with `teamgraph support init --demo` "
            "(or give --db PATH)."
        )
    if not where.parent.is_dir():
        raise InputError(f"Cannot create {where}: the folder {where.parent} does not exist.")
    connection = _opened(where, read_only=False)
    try:
        _check_version(connection, where, fresh_ok=create)
        migrate(connection, where)
    except sqlite3.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            raise locked(where) from error
        if "full" in str(error):
            raise full_disk(where) from error
        raise TeamgraphError(f"Cannot use the support database {where}: {error}.") from error
    except sqlite3.DatabaseError as error:
        connection.close()
        raise TeamgraphError(
            f"Cannot use the support database {where}: {error} (is it a SQLite file?)."
        ) from error
    except BaseException:
        connection.close()
        raise
    return connection


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (SQLite refuses every write on it); the schema must be current."""
    where = resolve_path(path)
    if not where.exists():
        raise InputError(f"No support database at {where}.")
    connection = _opened(where, read_only=True)
    try:
        version = _check_version(connection, where, fresh_ok=False)
    except BaseException:
        connection.close()
        raise
    if version != SCHEMA_VERSION:
        connection.close()
        raise TeamgraphError(
            f"The support database {where} has schema version {version}; open it once for "
            "writing (e.g. `teamgraph support init --db ...`) to migrate it."
        )
    return connection


@contextmanager
def connected(path: str | Path | None, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection for the duration of a block, closed after it."""
    connection = open_read_only(resolve_path(path)) if read_only else open_database(path)
    try:
        yield connection
    finally:
        connection.close()
