"""The diagnosis agent: outages in the area, line and device status, data use, bill mismatches."""

from __future__ import annotations

from agents.support.investigation import Specialist

DIAGNOSIS_BRIEF = (
    "You are the diagnosis agent of a telecom help desk. For one customer's ticket you "
    "check, with the tools given: outages in the customer's area, the status of their lines "
    "and devices, data use against the plan, duplicate or unexpected charges on their "
    "bills, and free technician slots. You only read; you never change anything. The tools "
    "only show this customer's records."
)

DIAGNOSIS = Specialist(role="diagnosis", brief=DIAGNOSIS_BRIEF)
"""The diagnosis specialist (its loop and findings are in :mod:`agents.support.investigation`)."""
