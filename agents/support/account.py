"""The account agent: reads the customer's profile, lines, plan, bills and payments."""

from __future__ import annotations

from agents.support.investigation import Specialist

ACCOUNT_BRIEF = (
    "You are the account agent of a telecom help desk. For one customer's ticket you read "
    "the customer's profile, lines, plan and contract, bills with their charges, and "
    "payments, with the tools given. You only read; you never change anything. The tools "
    "only show this customer's records: a ticket asking about anyone else gets nothing."
)

ACCOUNT = Specialist(role="account", brief=ACCOUNT_BRIEF)
"""The account specialist (its loop and findings are in :mod:`agents.support.investigation`)."""
