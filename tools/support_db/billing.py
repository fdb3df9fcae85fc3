"""Bill checks in code: which charges are disputed, and how much of a bill may be refunded.

A charge is disputed when it is

* a **duplicate**: the same description and amount billed again on the same bill;
* a **fee mismatch**: a monthly fee above the customer's plan fee (the difference);
* an **unsubscribed add-on**: an add-on charge the customer has no subscription for.

A bill's refundable amount is its disputed total less what was already refunded on it.
"""

from __future__ import annotations

from collections import Counter

from typing_extensions import TypedDict

from tools.support_db.records import CustomerRecords, Row


class Dispute(TypedDict):
    """One disputed charge and the part of it that is disputed."""

    bill_id: str
    charge_id: str
    description: str
    kind: str
    """``duplicate``, ``fee_mismatch`` or ``unsubscribed_add_on``."""
    amount: float


def _bill_disputes(charges: list[Row], plan_fee: float, add_ons: set[str]) -> list[Dispute]:
    seen: Counter[tuple[str, float]] = Counter()
    found: list[Dispute] = []
    for charge in charges:
        key = (charge["description"], round(charge["amount"], 2))
        seen[key] += 1
        dispute = None
        if seen[key] > 1:
            dispute = ("duplicate", charge["amount"])
        elif charge["kind"] == "plan" and charge["amount"] > plan_fee + 0.005:
            dispute = ("fee_mismatch", round(charge["amount"] - plan_fee, 2))
        elif charge["kind"] == "add_on" and charge["description"] not in add_ons:
            dispute = ("unsubscribed_add_on", charge["amount"])
        if dispute:
            found.append(
                Dispute(
                    bill_id=charge["bill_id"],
                    charge_id=charge["charge_id"],
                    description=charge["description"],
                    kind=dispute[0],
                    amount=round(dispute[1], 2),
                )
            )
    return found


def disputes(records: CustomerRecords, bill_id: str | None = None) -> list[Dispute]:
    """The disputed charges on the customer's bills (or on one of them)."""
    plan_fee = float(records.plan()["monthly_fee"])
    add_ons = {row["name"] for row in records.add_ons()}
    bills = [records.bill(bill_id)] if bill_id is not None else records.bills()
    found: list[Dispute] = []
    for bill in bills:
        if bill is not None:
            found += _bill_disputes(records.charges(bill["bill_id"]), plan_fee, add_ons)
    return found


def refundable(records: CustomerRecords, bill_id: str) -> float:
    """What may still be refunded on one of the customer's bills (0 if it is not theirs)."""
    if records.bill(bill_id) is None:
        return 0.0
    disputed = sum(d["amount"] for d in disputes(records, bill_id))
    refunded = sum(r["amount"] for r in records.refunds(bill_id))
    return round(max(disputed - refunded, 0.0), 2)


def data_report(records: CustomerRecords) -> list[Row]:
    """This month's data use per line against the plan's allowance."""
    plan = records.plan()
    allowance = plan["data_gb"]
    months = [row for row in records.usage()]
    latest = max((row["month"] for row in months), default=None)
    report: list[Row] = []
    for row in months:
        if row["month"] != latest:
            continue
        over = allowance is not None and row["used_gb"] > allowance
        report.append(
            {
                "line_id": row["line_id"],
                "month": row["month"],
                "used_gb": row["used_gb"],
                "allowance_gb": allowance,
                "over_limit": over,
            }
        )
    return report
