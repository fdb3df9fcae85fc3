"""The support desk's evaluation suite: tickets with the end state the database must reach.

One JSON object per line: ``id``, ``category``, ``customer``, ``ticket``, the
``expected_actions`` (what a perfect desk does), the rows that ``must_exist`` and
``must_not_exist`` afterwards (``{"table", "where": {column: value | {op: value}}}``),
and optionally the customer's ``rating`` (default 4), a person's ``approval`` answer
(``approve`` or ``reject``), the ``triage`` category a perfect desk gives when it
differs from ``category`` (adversarial tickets), and ``private_of``: a customer whose
details must appear nowhere in the run's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.kernel.errors import InputError, validation_problems

SUITE = Path(__file__).with_name("support_suite.jsonl")
Category = Literal["network", "billing", "device", "plan", "account", "other", "adversarial"]
Table = Literal[
    "customers", "lines", "devices", "bills", "refunds", "credits", "appointments",
    "plan_changes", "line_resets", "escalations", "tickets",
]  # fmt: skip
CATEGORIES: tuple[str, ...] = get_args(Category)
Operator = Literal["=", "!=", ">", ">=", "<", "<="]


class Expectation(BaseModel):
    """Rows of ``table`` matching ``where`` (a value means equal, ``{op: value}`` compares)."""

    model_config = ConfigDict(extra="forbid")

    table: Table
    where: dict[str, Any] = Field(min_length=1)


class ExpectedAction(BaseModel):
    """An action a perfect desk proposes for the ticket."""

    model_config = ConfigDict(extra="forbid")

    action: str
    args: dict[str, Any] = Field(default_factory=dict)


class SupportTicket(BaseModel):
    """One ticket of the suite and the end state it must reach."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    category: Category
    customer: str = Field(min_length=1)
    ticket: str = Field(min_length=1)
    expected_actions: list[ExpectedAction] = Field(default_factory=list)
    must_exist: list[Expectation] = Field(default_factory=list)
    must_not_exist: list[Expectation] = Field(default_factory=list)
    rating: int = Field(default=4, ge=1, le=5)
    approval: Literal["approve", "reject"] = "approve"
    triage: str = ""
    private_of: str = ""

    @property
    def triage_category(self) -> str:
        """The category a perfect triage gives."""
        return self.triage or self.category


def _ticket(path: Path, number: int, line: str) -> SupportTicket:
    try:
        return SupportTicket.model_validate(json.loads(line))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}, line {number}: not JSON ({error.msg}).") from None
    except ValidationError as error:
        problems = validation_problems(error, "line")
        raise InputError(f"{path}, line {number}: not a support ticket ({problems}).") from None


def load_suite(path: Path | None = None) -> list[SupportTicket]:
    """Every ticket of the suite at ``path`` (default: the one shipped), checked."""
    where = path or SUITE
    try:
        lines = where.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"Cannot read the suite {where}: {error.strerror or error}.") from error
    tickets = [_ticket(where, n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not tickets:
        raise InputError(f"{where} holds no tickets.")
    ids = [t.id for t in tickets]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InputError(f"{where}: ticket ids must be unique ({', '.join(repeated)} repeat).")
    return tickets
