"""The support agents' read-only tools, made for one customer of one database.

The customer is closed over when the tools are made: no tool takes a customer id, so a
model can never choose whose records it reads. Each call opens the database read-only
(SQLite refuses any write on that connection) and returns text plus the rows it used, as
citable sources (``bills/B1001-2025-06``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from langchain_core.tools import BaseTool, tool

from tools.sources import Source
from tools.support_db.billing import data_report, disputes, refundable
from tools.support_db.database import connected
from tools.support_db.records import CustomerRecords, Row, plan_catalogue

Found = tuple[str, list[Source]]


def row_source(table: str, key: str, text: str) -> Source:
    """A database row as a citable source: ``table/key`` with the text shown."""
    return Source(kind="database", title=f"{table} {key}", chunk_id=f"{table}/{key}", snippet=text)


def _found(rows: list[tuple[str, str, str]], empty: str) -> Found:
    if not rows:
        return empty, []
    return "\n".join(text for _, _, text in rows), [row_source(t, k, x) for t, k, x in rows]


def _money(value: float) -> str:
    return f"{value:.2f}"


def _profile(records: CustomerRecords) -> Found:
    row = records.profile()
    plan = records.plan()
    text = (
        f"{row['name']}, customer {row['customer_id']}, area {row['area']}, status "
        f"{row['status']}; plan {plan['plan_id']} ({plan['name']}, "
        f"{_money(plan['monthly_fee'])}/month); contract ends {row['contract_end']}"
    )
    return _found([("customers", row["customer_id"], text)], "")


def _lines(records: CustomerRecords) -> Found:
    rows = [
        (
            "lines",
            line["line_id"],
            f"line {line['line_id']} ({line['kind']}, {line['number']}): status "
            f"{line['status']}, last reset {line['last_reset'] or 'never'}",
        )
        for line in records.lines()
    ]
    return _found(rows, "The customer has no lines.")


def _bill_text(bill: Row, charges: list[Row]) -> str:
    items = "; ".join(f"{c['charge_id']} {c['description']} {_money(c['amount'])}" for c in charges)
    return (
        f"bill {bill['bill_id']} for {bill['period']}: total {_money(bill['total'])}, "
        f"{bill['status']}, due {bill['due']}. Charges: {items}"
    )


def _bills(records: CustomerRecords) -> Found:
    rows = [
        ("bills", bill["bill_id"], _bill_text(bill, records.charges(bill["bill_id"])))
        for bill in records.bills()
    ]
    return _found(rows, "The customer has no bills.")


def _payments(records: CustomerRecords) -> Found:
    rows = [
        (
            "payments",
            p["payment_id"],
            f"payment {p['payment_id']} of {_money(p['amount'])} for bill {p['bill_id']} "
            f"on {p['paid_on']} by {p['method']}",
        )
        for p in records.payments()
    ]
    return _found(rows, "The customer has made no payments.")


def _data(gigabytes: float | None) -> str:
    return "unlimited data" if gigabytes is None else f"{gigabytes:g} GB"


def _plans(records: CustomerRecords) -> Found:
    rows = [
        (
            "plans",
            p["plan_id"],
            f"plan {p['plan_id']} {p['name']}: {_money(p['monthly_fee'])}/month, "
            f"{_data(p['data_gb'])}, {p['contract_months']}-month contract",
        )
        for p in plan_catalogue(records.connection)
    ]
    return _found(rows, "No plans are on offer.")


def _outages(records: CustomerRecords) -> Found:
    rows = [
        (
            "outages",
            o["outage_id"],
            f"outage {o['outage_id']} in {o['area']} ({o['service']} service): "
            f"{o['description']}, since {o['started']}, "
            f"{'ongoing' if o['ended'] is None else 'resolved ' + o['ended']}",
        )
        for o in records.outages()
    ]
    return _found(rows, f"No outages in {records.profile()['area']}.")


def _status(records: CustomerRecords) -> Found:
    found = _lines(records)
    rows = [
        (
            "devices",
            d["device_id"],
            f"device {d['device_id']} {d['model']} on line {d['line_id']}: {d['status']}, "
            f"firmware {d['firmware']}",
        )
        for d in records.devices()
    ]
    devices = _found(rows, "")
    return "\n".join(t for t in (found[0], devices[0]) if t), [*found[1], *devices[1]]


def _usage(records: CustomerRecords) -> Found:
    rows = [
        (
            "data_usage",
            f"{r['line_id']}/{r['month']}",
            f"line {r['line_id']} used {r['used_gb']:g} GB in {r['month']}"
            + (
                " (unlimited plan)"
                if r["allowance_gb"] is None
                else f" of {r['allowance_gb']:g} GB"
                + (": over the limit" if r["over_limit"] else ": within the limit")
            ),
        )
        for r in data_report(records)
    ]
    return _found(rows, "No data use recorded (home lines have no data limit).")


def _mismatches(records: CustomerRecords) -> Found:
    found = disputes(records)
    rows = [
        (
            "charges",
            d["charge_id"],
            f"bill {d['bill_id']}: charge {d['charge_id']} '{d['description']}' is "
            f"{d['kind'].replace('_', ' ')}, disputed {_money(d['amount'])}; refundable on "
            f"this bill now {_money(refundable(records, d['bill_id']))}",
        )
        for d in found
    ]
    return _found(rows, "No duplicate or unexpected charges on the customer's bills.")


def _slots(records: CustomerRecords) -> Found:
    rows = [
        ("technician_slots", s["slot_id"], f"slot {s['slot_id']} on {s['starts']} is free")
        for s in records.free_slots()
    ]
    return _found(rows, f"No free technician slot in {records.profile()['area']} this week.")


def _reader(db: Path, customer: str, read: Callable[[CustomerRecords], Found]) -> Found:
    with connected(db, read_only=True) as connection:
        return read(CustomerRecords(connection, customer))


def account_tools(db: Path, customer: str) -> list[BaseTool]:
    """The account agent's tools over ``customer``'s records in ``db``."""

    @tool(response_format="content_and_artifact")
    def customer_profile() -> Found:
        """The customer's name, area, status, plan and contract end."""
        return _reader(db, customer, _profile)

    @tool(response_format="content_and_artifact")
    def customer_lines() -> Found:
        """The customer's lines and their status."""
        return _reader(db, customer, _lines)

    @tool(response_format="content_and_artifact")
    def customer_bills() -> Found:
        """The customer's bills with every charge, newest first."""
        return _reader(db, customer, _bills)

    @tool(response_format="content_and_artifact")
    def customer_payments() -> Found:
        """The customer's payments."""
        return _reader(db, customer, _payments)

    @tool(response_format="content_and_artifact")
    def plan_options() -> Found:
        """Every plan on offer, with fee, data and contract length."""
        return _reader(db, customer, _plans)

    return [customer_profile, customer_lines, customer_bills, customer_payments, plan_options]


def diagnosis_tools(db: Path, customer: str) -> list[BaseTool]:
    """The diagnosis agent's tools over ``customer``'s records in ``db``."""

    @tool(response_format="content_and_artifact")
    def area_outages() -> Found:
        """Network outages in the customer's area, ongoing first."""
        return _reader(db, customer, _outages)

    @tool(response_format="content_and_artifact")
    def line_and_device_status() -> Found:
        """The status of the customer's lines and devices (routers, phones)."""
        return _reader(db, customer, _status)

    @tool(response_format="content_and_artifact")
    def data_usage() -> Found:
        """This month's data use per line against the plan's allowance."""
        return _reader(db, customer, _usage)

    @tool(response_format="content_and_artifact")
    def bill_mismatches() -> Found:
        """Duplicate or unexpected charges on the customer's bills, and what is refundable."""
        return _reader(db, customer, _mismatches)

    @tool(response_format="content_and_artifact")
    def technician_slots() -> Found:
        """Free technician visit slots in the customer's area."""
        return _reader(db, customer, _slots)

    return [area_outages, line_and_device_status, data_usage, bill_mismatches, technician_slots]
