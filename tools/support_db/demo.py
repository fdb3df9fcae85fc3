"""The demo dataset: 240 customers of a telecom, the same rows every time, with cases planted.

Customers ``C1001``-``C1040`` carry the cases the evaluation suite asks about (duplicate
and unexpected charges, outages, over-limit data, suspended lines, expired contracts,
faulty routers, a technician area with no free slot); the others are ordinary customers,
a few of them with the same kinds of trouble drawn at random from a fixed seed.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DEMO_SEED = 20250615
TODAY = "2025-06-15"
"""The demo's today: June bills are issued and not yet due, May's were due on the 28th."""
PERIODS = ("2025-04", "2025-05", "2025-06")
CUSTOMERS = 240
FIRST_CUSTOMER = 1001
PLANTED_UP_TO = 1040
AREAS = (
    "Northgate", "Harbor", "Riverside", "Old Town", "Hillcrest", "Eastfield", "Lakeside",
    "Westbrook",
)  # fmt: skip
FULLY_BOOKED_AREA = "Hillcrest"
EXTRA_DATA_PER_GB = 5.0

PLANS: tuple[tuple[str, str, str, float, float | None, int], ...] = (
    ("P-BASIC", "Basic Mobile 5 GB", "mobile", 15.0, 5.0, 12),
    ("P-STD", "Standard Mobile 20 GB", "mobile", 30.0, 20.0, 24),
    ("P-UNL", "Unlimited Mobile", "mobile", 55.0, None, 24),
    ("P-FIBER", "Fiber Home 300", "home", 45.0, None, 24),
    ("P-BUNDLE", "Home + Mobile 30 GB", "bundle", 70.0, 30.0, 24),
)
PLAN_FEES = {plan[0]: plan[3] for plan in PLANS}
PLAN_NAMES = {plan[0]: plan[1] for plan in PLANS}
PLAN_DATA = {plan[0]: plan[4] for plan in PLANS}
PLAN_KINDS = {plan[0]: plan[2] for plan in PLANS}
ADD_ONS = (("International calls pack", 5.0), ("Cloud storage 100 GB", 2.99))
FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wen", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Alvarez", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi",
    "Silva", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz", "Zhou",
)  # fmt: skip
STREETS = ("Maple Street", "Harbor Road", "Mill Lane", "Station Avenue", "Church Walk")
PHONES = ("Pixel 8", "iPhone 14", "Galaxy S23", "Moto G54")
ROUTER = "Nokia G-240W"


@dataclass(frozen=True)
class Case:
    """One kind of trouble planted on a customer, with its numbers."""

    kind: str
    description: str = ""
    amount: float = 0.0
    charge_kind: str = ""


@dataclass(frozen=True)
class Profile:
    """A planted customer: area, plan and the cases the suite asks about."""

    area: str
    plan: str
    cases: tuple[Case, ...] = ()


def _dup_fee() -> Case:
    return Case("duplicate_fee")


def _dup(description: str, amount: float, kind: str) -> Case:
    return Case("duplicate_charge", description, amount, kind)


def _unsubscribed(description: str, amount: float) -> Case:
    return Case("unsubscribed_add_on", description, amount, "add_on")


PLANTED: dict[int, Profile] = {
    1001: Profile("Harbor", "P-FIBER", (_dup_fee(),)),
    1002: Profile("Northgate", "P-STD", (_dup_fee(),)),
    1003: Profile("Riverside", "P-BASIC", (_unsubscribed("Premium SMS club", 4.99),)),
    1004: Profile("Old Town", "P-BUNDLE", (_dup("Router replacement", 89.0, "device"),)),
    1005: Profile("Westbrook", "P-UNL", (Case("fee_mismatch", amount=65.0),)),
    1006: Profile("Lakeside", "P-FIBER", (Case("router_offline"),)),
    1007: Profile("Northgate", "P-FIBER", (Case("router_faulty"),)),
    1008: Profile("Hillcrest", "P-FIBER", (Case("router_faulty"),)),
    1009: Profile("Eastfield", "P-STD"),
    1010: Profile("Northgate", "P-BASIC", (Case("over_limit", amount=8.4),)),
    1011: Profile("Riverside", "P-UNL", (Case("contract_expired"),)),
    1012: Profile("Old Town", "P-UNL", (Case("in_contract"),)),
    1013: Profile("Westbrook", "P-STD", (Case("suspended"),)),
    1014: Profile("Lakeside", "P-STD", (Case("in_contract"),)),
    1015: Profile("Harbor", "P-BUNDLE"),
    1016: Profile("Northgate", "P-STD", (_unsubscribed("Ringtone club", 7.5),)),
    1017: Profile("Eastfield", "P-FIBER", (_dup_fee(),)),
    1018: Profile("Lakeside", "P-BASIC", (Case("line_fault"),)),
    1019: Profile("Westbrook", "P-BUNDLE", (Case("router_offline"),)),
    1020: Profile("Old Town", "P-FIBER", (Case("router_faulty"),)),
    1021: Profile("Riverside", "P-STD", (Case("over_limit", amount=23.5),)),
    1022: Profile("Harbor", "P-STD", (_dup("Roaming day pass", 12.5, "usage"),)),
    1023: Profile("Northgate", "P-UNL"),
    1024: Profile("Hillcrest", "P-STD", (Case("contract_expired"),)),
    1025: Profile("Eastfield", "P-BASIC"),
    1026: Profile("Lakeside", "P-FIBER", (_dup("Router replacement", 120.0, "device"),)),
    1027: Profile("Westbrook", "P-STD"),
    1028: Profile("Northgate", "P-BASIC", (_unsubscribed("Premium SMS club", 4.99),)),
    1029: Profile("Old Town", "P-STD"),
    1030: Profile("Riverside", "P-FIBER"),
    1031: Profile("Harbor", "P-STD"),
    1032: Profile("Eastfield", "P-UNL"),
    1033: Profile("Lakeside", "P-STD", (_dup_fee(),)),
    1034: Profile("Hillcrest", "P-BASIC"),
    1035: Profile("Westbrook", "P-FIBER"),
    1036: Profile("Northgate", "P-STD"),
    1037: Profile("Old Town", "P-STD", (Case("over_limit", amount=26.0),)),
    1038: Profile("Riverside", "P-BASIC", (Case("suspended"),)),
    1039: Profile("Eastfield", "P-FIBER", (Case("router_offline"),)),
    1040: Profile("Harbor", "P-FIBER"),
}

OUTAGES = (
    ("O-1", "Harbor", "home", "2025-06-14 07:40", None, "Fiber cable cut near Harbor Road"),
    ("O-2", "Eastfield", "mobile", "2025-06-15 06:00", None, "Mobile mast maintenance"),
    ("O-3", "Riverside", "home", "2025-06-10 09:15", "2025-06-10 18:00", "Cabinet power fault"),
)
SLOT_DAYS = ("2025-06-16", "2025-06-17", "2025-06-18", "2025-06-19", "2025-06-20")
SLOT_TIMES = ("09:00", "13:00")


@dataclass
class Rows:
    """Every table's rows, gathered before one insert."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, *values: Any) -> None:
        """One row of ``table``."""
        self.tables.setdefault(table, []).append(values)


def random_case(rng: random.Random) -> tuple[Case, ...]:
    """Trouble for an ordinary customer: usually none."""
    draw = rng.random()
    for limit, case in (
        (0.05, _dup_fee()),
        (0.08, Case("suspended")),
        (0.12, Case("over_limit", amount=round(rng.uniform(6, 9), 1))),
        (0.15, Case("router_offline")),
        (0.25, Case("contract_expired")),
    ):
        if draw < limit:
            return (case,)
    return ()


def _contract_end(rng: random.Random, cases: Iterable[Case], plan: str) -> str:
    kinds = {c.kind for c in cases}
    if "contract_expired" in kinds:
        return "2025-01-31"
    if "in_contract" in kinds:
        return "2026-09-30"
    return f"{rng.choice((2025, 2026))}-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"


def _customer(rows: Rows, rng: random.Random, number: int, profile: Profile) -> None:
    customer = f"C{number}"
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    suspended = any(c.kind == "suspended" for c in profile.cases)
    rows.add(
        "customers",
        customer,
        f"{first} {last}",
        f"{first}.{last}{number}@example.com".lower(),
        f"+1-555-{number:04d}",
        f"{rng.randint(1, 199)} {rng.choice(STREETS)}, {profile.area}",
        profile.area,
        profile.plan,
        _contract_end(rng, profile.cases, profile.plan),
        "suspended" if suspended else "active",
        f"{rng.randint(2021, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )
    if rng.random() < 0.2:
        name, fee = rng.choice(ADD_ONS)
        rows.add("add_ons", customer, name, fee, "2024-11-01")
    _lines(rows, rng, number, profile)
    _bills(rows, rng, number, profile)


def _lines(rows: Rows, rng: random.Random, number: int, profile: Profile) -> None:
    customer = f"C{number}"
    kinds = {c.kind for c in profile.cases}
    plan_kind = PLAN_KINDS[profile.plan]
    wanted = {"home": ["fiber"], "mobile": ["mobile"], "bundle": ["fiber", "mobile"]}[plan_kind]
    if plan_kind == "mobile" and rng.random() < 0.3:
        wanted.append("mobile")
    for index, kind in enumerate(wanted, start=1):
        line = f"L{number}-{index}"
        status = "active"
        if "suspended" in kinds:
            status = "suspended"
        elif kind == "fiber" and "router_offline" in kinds:
            status = "fault"
        elif kind == "mobile" and index == 1 and "line_fault" in kinds:
            status = "fault"
        rows.add("lines", line, customer, f"+1-555-{number:04d}-{index}", kind, status, None)
        if kind == "fiber":
            router = "ok"
            if "router_offline" in kinds:
                router = "offline"
            elif "router_faulty" in kinds:
                router = "faulty"
            rows.add("devices", f"D{number}-{index}", customer, line, ROUTER, router, "3.4.1")
            continue
        rows.add("devices", f"D{number}-{index}", customer, line, rng.choice(PHONES), "ok", "14.2")
        allowance = PLAN_DATA[profile.plan] or 60.0
        for period in PERIODS:
            used = round(rng.uniform(0.2, 0.9) * allowance, 1)
            over = next((c.amount for c in profile.cases if c.kind == "over_limit"), None)
            if over is not None and period == PERIODS[-1] and index == 1:
                used = over
            rows.add("data_usage", line, customer, period, used)


def _charges(
    profile: Profile, period: str, add_ons: list[tuple[str, float]]
) -> list[tuple[str, str, float]]:
    fee = PLAN_FEES[profile.plan]
    latest = period == PERIODS[-1]
    charges: list[tuple[str, str, float]] = []
    mismatch = next((c.amount for c in profile.cases if c.kind == "fee_mismatch"), None)
    plan_fee = mismatch if latest and mismatch is not None else fee
    charges.append((f"Monthly fee {PLAN_NAMES[profile.plan]}", "plan", plan_fee))
    charges += [(name, "add_on", amount) for name, amount in add_ons]
    if not latest:
        return charges
    for case in profile.cases:
        if case.kind == "duplicate_fee":
            charges.append(charges[0])
        elif case.kind == "duplicate_charge":
            charges += [(case.description, case.charge_kind, case.amount)] * 2
        elif case.kind == "unsubscribed_add_on":
            charges.append((case.description, "add_on", case.amount))
        elif case.kind == "over_limit":
            allowance = PLAN_DATA[profile.plan] or 0.0
            extra = max(0, round(case.amount - allowance + 0.49))
            if extra:
                charges.append((f"Extra data {extra} GB", "usage", extra * EXTRA_DATA_PER_GB))
    return charges


def _bills(rows: Rows, rng: random.Random, number: int, profile: Profile) -> None:
    customer = f"C{number}"
    add_ons = [(r[1], r[2]) for r in rows.tables.get("add_ons", []) if r[0] == customer]
    suspended = any(c.kind == "suspended" for c in profile.cases)
    for period in PERIODS:
        bill = f"B{number}-{period}"
        charges = _charges(profile, period, add_ons)
        total = round(sum(amount for _, _, amount in charges), 2)
        if period == PERIODS[-1]:
            status = "unpaid"
        elif period == PERIODS[1] and suspended:
            status = "overdue"
        else:
            status = "paid"
        rows.add("bills", bill, customer, period, f"{period}-01", f"{period}-28", total, status)
        for index, (description, kind, amount) in enumerate(charges, start=1):
            rows.add(
                "charges", f"CH{number}-{period}-{index}", bill, customer, description, kind, amount
            )
        if status == "paid":
            method = rng.choice(("card", "direct debit"))
            rows.add(
                "payments", f"PM{number}-{period}", customer, bill, total, f"{period}-20", method
            )


def _slots(rows: Rows, rng: random.Random) -> None:
    customers = [r for r in rows.tables["customers"] if int(r[0][1:]) > PLANTED_UP_TO]
    for area in AREAS:
        locals_ = [r[0] for r in customers if r[5] == area]
        code = area.replace(" ", "")[:4].upper()
        for day in SLOT_DAYS:
            for time in SLOT_TIMES:
                slot = f"S-{code}-{day[5:7]}{day[8:]}-{time[:2]}"
                rows.add("technician_slots", slot, area, f"{day} {time}")
                if area == FULLY_BOOKED_AREA or rng.random() < 0.3:
                    who = rng.choice(locals_)
                    rows.add("appointments", f"AP-{slot}", who, slot, "Router check", None, TODAY)


def demo_rows(seed: int = DEMO_SEED) -> Rows:
    """Every row of the demo dataset (the same for the same seed)."""
    rng = random.Random(seed)
    rows = Rows()
    for plan in PLANS:
        rows.add("plans", *plan)
    for number in range(FIRST_CUSTOMER, FIRST_CUSTOMER + CUSTOMERS):
        profile = PLANTED.get(number) or Profile(
            rng.choice(AREAS), rng.choice([p[0] for p in PLANS]), random_case(rng)
        )
        _customer(rows, rng, number, profile)
    for outage in OUTAGES:
        rows.add("outages", *outage)
    _slots(rows, rng)
    rows.add("meta", "dataset", "demo")
    rows.add("meta", "seed", str(seed))
    rows.add("meta", "today", TODAY)
    return rows


INSERT_ORDER = (
    "meta", "plans", "customers", "add_ons", "lines", "devices", "data_usage", "bills",
    "charges", "payments", "outages", "technician_slots", "appointments",
)  # fmt: skip


def fill_demo(connection: sqlite3.Connection, seed: int = DEMO_SEED) -> int:
    """Insert the demo dataset (the caller holds the transaction); returns the customers added."""
    rows = demo_rows(seed)
    for table in INSERT_ORDER:
        values = rows.tables.get(table, [])
        if values:
            marks = ", ".join("?" * len(values[0]))
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    return len(rows.tables["customers"])
