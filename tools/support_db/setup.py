"""Creating the support database: an empty one, the demo, or a fresh copy for one trial."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.kernel.errors import InputError
from tools.support_db.database import (
    open_database,
    peek_version,
    resolve_path,
    schema_version,
    transaction,
)
from tools.support_db.demo import DEMO_SEED, fill_demo
from tools.support_db.schema import SCHEMA_VERSION


@dataclass(frozen=True)
class InitReport:
    """What ``init`` did."""

    path: Path
    schema_version: int
    customers: int
    created: bool
    """True if the file is new."""
    migrated: bool
    """True if an existing file was brought to the current schema."""
    reset: bool = False
    """True if an existing demo database was rebuilt afresh (its tickets and actions gone)."""


def _customers(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM customers").fetchone()[0])


def _dataset(connection: sqlite3.Connection) -> str:
    row = connection.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone()
    return str(row[0]) if row else ""


def _build_demo(where: Path, seed: int) -> int:
    """Build the demo in a temporary file beside ``where``, then put it in place at once."""
    handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.", suffix=".tmp")
    os.close(handle)
    Path(temporary).unlink()
    try:
        connection = open_database(temporary, create=True)
        try:
            with transaction(connection, where):
                customers = fill_demo(connection, seed)
        finally:
            connection.close()
        os.replace(temporary, where)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return customers


def _work(connection: sqlite3.Connection) -> tuple[int, int]:
    """The tickets and actions a database holds (what rebuilding the demo would lose)."""
    tickets = int(connection.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
    actions = int(connection.execute("SELECT COUNT(*) FROM actions").fetchone()[0])
    return tickets, actions


def init_database(
    path: str | Path | None = None, *, demo: bool = False, reset: bool = False
) -> InitReport:
    """Create the support database (migrating one that exists); ``demo`` fills the demo dataset.

    A demo database holding tickets or actions is rebuilt from scratch only with ``reset``;
    a database holding other customers is never replaced by the demo.
    """
    where = resolve_path(path)
    existed = where.exists()
    before = peek_version(where) if existed else 0
    connection = open_database(where, create=True)
    try:
        customers = _customers(connection)
        dataset = _dataset(connection)
        tickets, actions = _work(connection)
    finally:
        connection.close()
    migrated = 0 < before < SCHEMA_VERSION
    if demo:
        if customers and dataset != "demo":
            raise InputError(
                f"{where} already holds {customers} customers that are not the demo's; "
                "give another --db for the demo. Nothing was changed."
            )
        if (tickets or actions) and not reset:
            raise InputError(
                f"{where} holds {tickets} ticket(s) and {actions} action(s), with their "
                "refunds, credits, visits and audit log; rebuilding the demo would lose them. "
                "Add --reset to rebuild it anyway, or give another --db. Nothing was changed."
            )
        customers = _build_demo(where, DEMO_SEED)
        return InitReport(where, _version(where), customers, not existed, False, reset=existed)
    return InitReport(where, _version(where), customers, not existed, migrated)


def _version(where: Path) -> int:
    connection = open_database(where)
    try:
        return schema_version(connection)
    finally:
        connection.close()


def fresh_copy(source: Path, target: Path) -> Path:
    """``target`` made an exact copy of ``source`` (SQLite's backup, consistent even if in use)."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(str(source)) as original, sqlite3.connect(str(target)) as copy:
        original.backup(copy)
    original.close()
    copy.close()
    return target
