"""The support database's schema: its migrations, in order, and the version they reach.

The version lives in SQLite's ``PRAGMA user_version``. A new database runs every
migration; an older one runs those it lacks, each in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One step of the schema: the version it reaches and the statements that reach it."""

    version: int
    description: str
    statements: tuple[str, ...]


BASE = Migration(
    1,
    "customers, plans, lines, devices, bills and charges, payments, outages, technician "
    "slots and appointments, refunds, escalations, tickets, actions and their audit log",
    (
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
        """CREATE TABLE plans (
            plan_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
            monthly_fee REAL NOT NULL, data_gb REAL, contract_months INTEGER NOT NULL)""",
        """CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,
            phone TEXT NOT NULL, address TEXT NOT NULL, area TEXT NOT NULL,
            plan_id TEXT NOT NULL REFERENCES plans(plan_id), contract_end TEXT NOT NULL,
            status TEXT NOT NULL, joined TEXT NOT NULL)""",
        """CREATE TABLE add_ons (
            customer_id TEXT NOT NULL REFERENCES customers(customer_id), name TEXT NOT NULL,
            monthly_fee REAL NOT NULL, since TEXT NOT NULL, PRIMARY KEY (customer_id, name))""",
        """CREATE TABLE lines (
            line_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            number TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, last_reset TEXT)""",
        """CREATE TABLE devices (
            device_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            line_id TEXT NOT NULL REFERENCES lines(line_id), model TEXT NOT NULL,
            status TEXT NOT NULL, firmware TEXT NOT NULL)""",
        """CREATE TABLE data_usage (
            line_id TEXT NOT NULL REFERENCES lines(line_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id), month TEXT NOT NULL,
            used_gb REAL NOT NULL, PRIMARY KEY (line_id, month))""",
        """CREATE TABLE bills (
            bill_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            period TEXT NOT NULL, issued TEXT NOT NULL, due TEXT NOT NULL, total REAL NOT NULL,
            status TEXT NOT NULL)""",
        """CREATE TABLE charges (
            charge_id TEXT PRIMARY KEY, bill_id TEXT NOT NULL REFERENCES bills(bill_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            description TEXT NOT NULL, kind TEXT NOT NULL, amount REAL NOT NULL)""",
        """CREATE TABLE payments (
            payment_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            bill_id TEXT NOT NULL REFERENCES bills(bill_id), amount REAL NOT NULL,
            paid_on TEXT NOT NULL, method TEXT NOT NULL)""",
        """CREATE TABLE outages (
            outage_id TEXT PRIMARY KEY, area TEXT NOT NULL, service TEXT NOT NULL,
            started TEXT NOT NULL, ended TEXT, description TEXT NOT NULL)""",
        """CREATE TABLE technician_slots (
            slot_id TEXT PRIMARY KEY, area TEXT NOT NULL, starts TEXT NOT NULL)""",
        """CREATE TABLE appointments (
            appointment_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            slot_id TEXT NOT NULL UNIQUE REFERENCES technician_slots(slot_id),
            reason TEXT NOT NULL, action_id TEXT UNIQUE, created TEXT NOT NULL)""",
        """CREATE TABLE refunds (
            refund_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            bill_id TEXT NOT NULL REFERENCES bills(bill_id), amount REAL NOT NULL,
            reason TEXT NOT NULL, action_id TEXT NOT NULL UNIQUE, created TEXT NOT NULL)""",
        """CREATE TABLE escalations (
            escalation_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id), ticket_id TEXT NOT NULL,
            thread_id TEXT NOT NULL, run_id TEXT NOT NULL, reason TEXT NOT NULL,
            status TEXT NOT NULL, created TEXT NOT NULL)""",
        """CREATE TABLE tickets (
            ticket_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            thread_id TEXT NOT NULL, run_id TEXT NOT NULL, text TEXT NOT NULL,
            category TEXT, urgency TEXT, sentiment INTEGER, summary TEXT,
            status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)""",
        """CREATE TABLE actions (
            action_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            thread_id TEXT NOT NULL, run_id TEXT NOT NULL, action TEXT NOT NULL,
            args TEXT NOT NULL, status TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL)""",
        """CREATE TABLE audit_log (
            entry_id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
            thread_id TEXT NOT NULL, run_id TEXT NOT NULL, customer_id TEXT NOT NULL,
            action_id TEXT NOT NULL, action TEXT NOT NULL, args TEXT NOT NULL,
            status TEXT NOT NULL, rule TEXT NOT NULL, detail TEXT NOT NULL)""",
        "CREATE INDEX bills_by_customer ON bills (customer_id)",
        "CREATE INDEX charges_by_bill ON charges (bill_id)",
        "CREATE INDEX lines_by_customer ON lines (customer_id)",
        "CREATE INDEX audit_by_action ON audit_log (action_id)",
    ),
)

RECORDS_OF_CHANGES = Migration(
    2,
    "credits, plan changes and line resets kept as rows; tickets keep the reply and rating",
    (
        """CREATE TABLE credits (
            credit_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            amount REAL NOT NULL, reason TEXT NOT NULL, action_id TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL)""",
        """CREATE TABLE plan_changes (
            change_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            from_plan TEXT NOT NULL, to_plan TEXT NOT NULL, action_id TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL)""",
        """CREATE TABLE line_resets (
            reset_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            line_id TEXT NOT NULL REFERENCES lines(line_id), action_id TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL)""",
        "ALTER TABLE tickets ADD COLUMN reply TEXT",
        "ALTER TABLE tickets ADD COLUMN rating INTEGER",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (BASE, RECORDS_OF_CHANGES)
SCHEMA_VERSION = MIGRATIONS[-1].version
"""The version this teamgraph writes and reads."""
