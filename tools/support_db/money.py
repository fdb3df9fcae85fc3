"""Amounts of money: finite numbers of at least one cent, in whole cents.

A model's ``NaN`` passes every comparison with a cap (each is false), ``true`` reads as
1.00 and ``0.004`` as a refund of 0.00: each is refused here, before any rule compares it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator

CENT = Decimal("0.01")


def amount_problem(value: Any) -> str | None:
    """Why ``value`` is not an amount of money (None: it is one)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return f"an amount is a number such as 12.50, not {value!r}"
    if not math.isfinite(value):
        return f"an amount is a finite number, not {value}"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if exact < CENT:
        return f"an amount is at least 0.01, not {value}"
    if exact != exact.quantize(CENT):
        return f"an amount is in whole cents (e.g. 12.34), not {value}"
    return None


def checked_amount(value: Any) -> float:
    """``value`` as an amount; ValueError saying why if it is not one."""
    problem = amount_problem(value)
    if problem:
        raise ValueError(problem)
    return float(value)


Money = Annotated[float, BeforeValidator(checked_amount)]
"""A Pydantic field holding an amount (checked before any conversion: ``true`` is refused)."""


def money_text(value: float) -> str:
    """An amount as printed: two decimals."""
    return f"{value:.2f}"
