"""Reads of one customer's records: every query is filtered by the customer the caller gave.

A :class:`CustomerRecords` is made for one customer id, checked to exist; no method takes
another customer's id, and rows of other customers (a bill id that is someone else's)
come back as nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from tools.kernel.errors import InputError

Row = dict[str, Any]


class UnknownCustomer(InputError):
    """The customer id given is not in the database."""


def _rows(connection: sqlite3.Connection, sql: str, *params: Any) -> list[Row]:
    return [dict(row) for row in connection.execute(sql, params).fetchall()]


def unknown_customer(connection: sqlite3.Connection, customer_id: str) -> str:
    """Why ``customer_id`` was not found: the id it may have meant, else the ids there are."""
    near = connection.execute(
        "SELECT customer_id FROM customers WHERE customer_id = ? COLLATE NOCASE LIMIT 1",
        (customer_id.strip(),),
    ).fetchone()
    if near:
        return f"No customer {customer_id!r} in the support database: did you mean {near[0]!r}?"
    count, first, last = connection.execute(
        "SELECT COUNT(*), MIN(customer_id), MAX(customer_id) FROM customers"
    ).fetchone()
    held = f"its {count} ids run from {first} to {last}" if count else "it holds no customer"
    return f"No customer {customer_id!r} in the support database: check the id ({held})."


class CustomerRecords:
    """The records of one customer, read through one connection."""

    def __init__(self, connection: sqlite3.Connection, customer_id: str) -> None:
        """Read ``customer_id``'s records; UnknownCustomer if there is no such customer."""
        self.connection = connection
        self.customer_id = customer_id.strip()
        found = _rows(connection, "SELECT * FROM customers WHERE customer_id = ?", self.customer_id)
        if not found:
            raise UnknownCustomer(unknown_customer(connection, customer_id))
        self._profile = found[0]

    def profile(self) -> Row:
        """The customer's row: name, contact, area, plan, contract end, status."""
        return dict(self._profile)

    def plan(self) -> Row:
        """The customer's current plan."""
        return _rows(
            self.connection,
            "SELECT p.* FROM plans p JOIN customers c ON c.plan_id = p.plan_id "
            "WHERE c.customer_id = ?",
            self.customer_id,
        )[0]

    def lines(self) -> list[Row]:
        """The customer's lines."""
        return _rows(
            self.connection,
            "SELECT * FROM lines WHERE customer_id = ? ORDER BY line_id",
            self.customer_id,
        )

    def devices(self) -> list[Row]:
        """The customer's devices (routers, phones) and their status."""
        return _rows(
            self.connection,
            "SELECT * FROM devices WHERE customer_id = ? ORDER BY device_id",
            self.customer_id,
        )

    def add_ons(self) -> list[Row]:
        """The add-ons the customer subscribed to."""
        return _rows(
            self.connection, "SELECT * FROM add_ons WHERE customer_id = ?", self.customer_id
        )

    def usage(self) -> list[Row]:
        """Data used per line and month."""
        return _rows(
            self.connection,
            "SELECT * FROM data_usage WHERE customer_id = ? ORDER BY line_id, month",
            self.customer_id,
        )

    def bills(self) -> list[Row]:
        """The customer's bills, newest first."""
        return _rows(
            self.connection,
            "SELECT * FROM bills WHERE customer_id = ? ORDER BY period DESC",
            self.customer_id,
        )

    def bill(self, bill_id: str) -> Row | None:
        """One of the customer's bills (None if it is not theirs or does not exist)."""
        found = _rows(
            self.connection,
            "SELECT * FROM bills WHERE bill_id = ? AND customer_id = ?",
            bill_id.strip(),
            self.customer_id,
        )
        return found[0] if found else None

    def charges(self, bill_id: str | None = None) -> list[Row]:
        """The charges of the customer's bills (of one of them, if ``bill_id`` is given)."""
        sql = "SELECT * FROM charges WHERE customer_id = ?"
        params: list[Any] = [self.customer_id]
        if bill_id is not None:
            sql += " AND bill_id = ?"
            params.append(bill_id.strip())
        return _rows(self.connection, sql + " ORDER BY charge_id", *params)

    def payments(self) -> list[Row]:
        """The customer's payments, newest first."""
        return _rows(
            self.connection,
            "SELECT * FROM payments WHERE customer_id = ? ORDER BY paid_on DESC",
            self.customer_id,
        )

    def refunds(self, bill_id: str | None = None) -> list[Row]:
        """Refunds made to the customer (on one bill, if given)."""
        sql = "SELECT * FROM refunds WHERE customer_id = ?"
        params: list[Any] = [self.customer_id]
        if bill_id is not None:
            sql += " AND bill_id = ?"
            params.append(bill_id.strip())
        return _rows(self.connection, sql + " ORDER BY created", *params)

    def credits(self) -> list[Row]:
        """Credits applied to the customer's account."""
        return _rows(
            self.connection, "SELECT * FROM credits WHERE customer_id = ?", self.customer_id
        )

    def outages(self) -> list[Row]:
        """Outages in the customer's area (ongoing first)."""
        return _rows(
            self.connection,
            "SELECT * FROM outages WHERE area = ? ORDER BY ended IS NOT NULL, started DESC",
            self._profile["area"],
        )

    def free_slots(self, limit: int = 5) -> list[Row]:
        """Technician slots in the customer's area that nobody has booked, earliest first."""
        return _rows(
            self.connection,
            "SELECT s.* FROM technician_slots s LEFT JOIN appointments a ON a.slot_id = s.slot_id "
            "WHERE s.area = ? AND a.slot_id IS NULL ORDER BY s.starts LIMIT ?",
            self._profile["area"],
            limit,
        )

    def slot(self, slot_id: str) -> Row | None:
        """A technician slot in the customer's area (None if unknown or elsewhere)."""
        found = _rows(
            self.connection,
            "SELECT s.*, a.appointment_id FROM technician_slots s "
            "LEFT JOIN appointments a ON a.slot_id = s.slot_id WHERE s.slot_id = ? AND s.area = ?",
            slot_id.strip(),
            self._profile["area"],
        )
        return found[0] if found else None

    def appointments(self) -> list[Row]:
        """The customer's technician appointments."""
        return _rows(
            self.connection,
            "SELECT a.*, s.starts FROM appointments a JOIN technician_slots s USING (slot_id) "
            "WHERE a.customer_id = ? ORDER BY s.starts",
            self.customer_id,
        )

    def line(self, line_id: str) -> Row | None:
        """One of the customer's lines (None if it is not theirs)."""
        found = _rows(
            self.connection,
            "SELECT * FROM lines WHERE line_id = ? AND customer_id = ?",
            line_id.strip(),
            self.customer_id,
        )
        return found[0] if found else None

    def escalations(self) -> list[Row]:
        """Escalations opened for the customer."""
        return _rows(
            self.connection,
            "SELECT * FROM escalations WHERE customer_id = ? ORDER BY created",
            self.customer_id,
        )


def plan_catalogue(connection: sqlite3.Connection) -> list[Row]:
    """Every plan on offer (not customer data)."""
    return _rows(connection, "SELECT * FROM plans ORDER BY monthly_fee")


def plan_by_id(connection: sqlite3.Connection, plan_id: str) -> Row | None:
    """One plan on offer, or None."""
    found = _rows(connection, "SELECT * FROM plans WHERE plan_id = ?", plan_id.strip())
    return found[0] if found else None


def desk_today(connection: sqlite3.Connection) -> str:
    """The database's today (the demo keeps its own date), else the real date, ISO format."""
    row = connection.execute("SELECT value FROM meta WHERE key = 'today'").fetchone()
    return str(row[0]) if row else date.today().isoformat()
