"""The support desk's policy, in code: which proposed action may run, wait, or is refused.

Its numbers come from a JSON file the operator can edit: ``TEAMGRAPH_HOME/support_policy.json``
if present, else the default shipped beside this module. Every verdict names the rule
that gave it, so a refused action is recorded with the rule that refused it.

Rules, by action:

* ``refund`` (``{"bill_id", "amount"}``): only on this customer's bills; at most the
  disputed charges left on that bill; over ``refund_approval_over`` a person must
  approve (never automatically).
* ``apply_credit`` (``{"amount"}``): at most ``max_credit``.
* ``change_plan`` (``{"plan_id"}``): a plan on offer, not the current one, no downgrade
  before the contract ends; a person approves (or ``auto_approve``).
* ``book_technician`` (``{"slot_id"}``, optional): a free slot in the customer's area
  (the earliest if none is named); a person approves (or ``auto_approve``).
* ``reset_line`` (``{"line_id"}``, optional): one of the customer's lines, not suspended.
* ``escalate`` (``{"reason"}``): always allowed.
* every action: at most ``max_actions_per_ticket`` accepted per ticket, none proposed twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.kernel.errors import InputError, validation_problems
from tools.kernel.home import teamgraph_home
from tools.support_db.billing import refundable
from tools.support_db.money import checked_amount
from tools.support_db.money import money_text as _money
from tools.support_db.records import CustomerRecords, plan_by_id

POLICY_FILE = "support_policy.json"
DEFAULT_POLICY = Path(__file__).with_name("policy.json")
Status = Literal["allowed", "needs_approval", "denied"]
ACTIONS = ("reset_line", "refund", "book_technician", "change_plan", "apply_credit", "escalate")


class PolicyNumbers(BaseModel):
    """The numbers of the policy (the operator's file)."""

    model_config = ConfigDict(extra="forbid")

    refund_approval_over: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Refunds above this amount wait for a person's approval.",
    )
    max_credit: float = Field(
        ge=0, allow_inf_nan=False, description="Largest account credit the desk may apply."
    )
    max_actions_per_ticket: int = Field(ge=1, description="Most actions run for one ticket.")
    escalate_at_rating: int = Field(
        ge=0, le=5, description="A customer rating at or below this opens an escalation."
    )
    escalate_after_failures: int = Field(
        ge=1,
        description="This many failures in one ticket (failed actions, unusable "
        "decisions) open an escalation.",
    )


def policy_path() -> Path:
    """The operator's policy file if there is one, else the shipped default."""
    override = teamgraph_home() / POLICY_FILE
    return override if override.exists() else DEFAULT_POLICY


def load_policy(path: Path | None = None) -> PolicyNumbers:
    """The policy numbers in ``path`` (default: :func:`policy_path`), checked."""
    where = path or policy_path()
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
        return PolicyNumbers.model_validate(raw)
    except OSError as error:
        raise InputError(f"Cannot read the support policy {where}: {error}.") from error
    except json.JSONDecodeError as error:
        raise InputError(f"The support policy {where} is not valid JSON: {error}.") from error
    except ValidationError as error:
        problems = validation_problems(error, "file")
        raise InputError(f"The support policy {where} cannot be used: {problems}.") from None


@dataclass(frozen=True)
class Verdict:
    """What the policy says of one proposed action."""

    status: Status
    rule: str
    """The rule that decided (e.g. ``refund_at_most_disputed``)."""
    reason: str
    """The decision in words."""
    args: dict[str, Any] = field(default_factory=dict)
    """The arguments as they will run (a slot or line chosen when none was named)."""
    auto_approvable: bool = False
    """Whether ``auto_approve`` may stand in for the person."""


def _deny(rule: str, reason: str, args: dict[str, Any]) -> Verdict:
    return Verdict("denied", rule, reason, args)


def _check_refund(
    records: CustomerRecords, args: dict[str, Any], numbers: PolicyNumbers
) -> Verdict:
    bill_id, amount = str(args.get("bill_id") or "").strip(), args.get("amount")
    if not bill_id:
        return _deny("refund_args", "a refund needs a bill_id", args)
    try:
        value = checked_amount(amount)
    except ValueError as problem:
        return _deny("refund_args", f"a refund needs a valid amount: {problem}", args)
    clean: dict[str, Any] = {"bill_id": bill_id, "amount": value}
    if records.bill(bill_id) is None:
        return _deny("refund_own_bill", f"{bill_id} is not one of this customer's bills", clean)
    left = refundable(records, bill_id)
    if value > left + 0.005:
        return _deny(
            "refund_at_most_disputed",
            f"a refund of {_money(value)} is more than the disputed charges left on "
            f"{bill_id} ({_money(left)})",
            clean,
        )
    if value > numbers.refund_approval_over:
        return Verdict(
            "needs_approval",
            "refund_over_cap",
            f"a refund over {_money(numbers.refund_approval_over)} needs a person's approval",
            clean,
        )
    return Verdict("allowed", "refund_within_cap", "within the disputed charge and the cap", clean)


def _check_credit(args: dict[str, Any], numbers: PolicyNumbers) -> Verdict:
    amount = args.get("amount")
    try:
        value = checked_amount(amount)
    except ValueError as problem:
        return _deny("credit_args", f"a credit needs a valid amount: {problem}", args)
    clean: dict[str, Any] = {"amount": value}
    if value > numbers.max_credit:
        return _deny("credit_cap", f"credits are at most {_money(numbers.max_credit)}", clean)
    return Verdict("allowed", "credit_within_cap", "within the credit cap", clean)


def _check_plan(records: CustomerRecords, args: dict[str, Any], today: str) -> Verdict:
    plan_id = str(args.get("plan_id") or "").strip()
    clean = {"plan_id": plan_id}
    if not plan_id:
        return _deny("plan_args", "a plan change needs a plan_id", clean)
    wanted = plan_by_id(records.connection, plan_id)
    if wanted is None:
        return _deny("plan_unknown", f"there is no plan {plan_id!r} on offer", clean)
    current, profile = records.plan(), records.profile()
    if wanted["plan_id"] == current["plan_id"]:
        return _deny("plan_unchanged", f"the customer is already on {plan_id}", clean)
    if wanted["monthly_fee"] < current["monthly_fee"] and profile["contract_end"] > today:
        return _deny(
            "downgrade_in_contract",
            f"no downgrade before the contract ends on {profile['contract_end']}",
            clean,
        )
    return Verdict(
        "needs_approval", "plan_change_approval", "plan changes need approval", clean, True
    )


def _check_technician(records: CustomerRecords, args: dict[str, Any]) -> Verdict:
    slot_id = str(args.get("slot_id") or "").strip()
    if not slot_id:
        free = records.free_slots(limit=1)
        if not free:
            return _deny("no_free_slot", "no free technician slot in the customer's area", {})
        slot_id = free[0]["slot_id"]
    clean = {"slot_id": slot_id}
    slot = records.slot(slot_id)
    if slot is None:
        return _deny("slot_in_area", f"{slot_id} is not a slot in the customer's area", clean)
    if slot["appointment_id"] is not None:
        return _deny("slot_free", f"{slot_id} is already booked", clean)
    return Verdict(
        "needs_approval",
        "technician_approval",
        f"a technician visit ({slot['starts']}) needs approval",
        clean,
        True,
    )


def _check_reset(records: CustomerRecords, args: dict[str, Any]) -> Verdict:
    line_id = str(args.get("line_id") or "").strip()
    if line_id:
        line = records.line(line_id)
        if line is None:
            return _deny("line_own", f"{line_id} is not one of this customer's lines", args)
    else:
        lines = records.lines()
        if not lines:
            return _deny("line_own", "the customer has no line to reset", {})
        line = next((row for row in lines if row["status"] == "fault"), lines[0])
    clean = {"line_id": line["line_id"]}
    if line["status"] == "suspended":
        return _deny(
            "line_suspended",
            "a suspended line comes back when the overdue bill is paid, not by a reset",
            clean,
        )
    return Verdict("allowed", "line_reset", "the customer's own line", clean)


def check_action(
    action: str,
    args: dict[str, Any],
    records: CustomerRecords,
    numbers: PolicyNumbers,
    earlier: Sequence[tuple[str, dict[str, Any], str]] = (),
    today: str = "",
) -> Verdict:
    """The verdict on one proposed action, given the ticket's earlier ``(action, args, status)``."""
    if action not in ACTIONS:
        return _deny("unknown_action", f"there is no action {action!r}", args)
    accepted = [item for item in earlier if item[2] != "denied"]
    if len(accepted) >= numbers.max_actions_per_ticket:
        return _deny(
            "max_actions",
            f"at most {numbers.max_actions_per_ticket} actions per ticket",
            args,
        )
    if action == "refund":
        verdict = _check_refund(records, args, numbers)
    elif action == "apply_credit":
        verdict = _check_credit(args, numbers)
    elif action == "change_plan":
        verdict = _check_plan(records, args, today)
    elif action == "book_technician":
        verdict = _check_technician(records, args)
    elif action == "reset_line":
        verdict = _check_reset(records, args)
    else:
        reason = str(args.get("reason") or "").strip()
        verdict = Verdict("allowed", "escalation", "a person takes over", {"reason": reason})
    if (action, verdict.args) in [(name, dict(values)) for name, values, _ in earlier]:
        return _deny("no_duplicate", "the same action was already proposed", verdict.args)
    return verdict
