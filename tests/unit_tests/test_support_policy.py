"""Every rule of the support policy, and its numbers read from the operator's file."""

import json

import pytest

from tests.unit_tests.support_script import demo_database
from tools.kernel.errors import InputError
from tools.support_db.database import connected
from tools.support_db.policy import DEFAULT_POLICY, check_action, load_policy, policy_path
from tools.support_db.records import CustomerRecords, desk_today

TODAY = "2025-06-15"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("policy"))


def verdict(db, customer, action, args, earlier=(), numbers=None):
    with connected(db) as connection:
        records = CustomerRecords(connection, customer)
        return check_action(
            action, args, records, numbers or load_policy(DEFAULT_POLICY), earlier, TODAY
        )


RULES = [
    # refunds
    ("C1002", "refund", {"bill_id": "B1002-2025-06", "amount": 30}, "allowed", "refund_within_cap"),
    ("C1002", "refund", {"bill_id": "B1002-2025-06"}, "denied", "refund_args"),
    ("C1002", "refund", {"bill_id": "B1002-2025-06", "amount": -5}, "denied", "refund_args"),
    ("C1002", "refund", {"bill_id": "B1001-2025-06", "amount": 5}, "denied", "refund_own_bill"),
    ("C1002", "refund", {"bill_id": "B9999-2025-06", "amount": 5}, "denied", "refund_own_bill"),
    (
        "C1002",
        "refund",
        {"bill_id": "B1002-2025-06", "amount": 30.01},
        "denied",
        "refund_at_most_disputed",
    ),
    (
        "C1008",
        "refund",
        {"bill_id": "B1008-2025-06", "amount": 1},
        "denied",
        "refund_at_most_disputed",
    ),
    (
        "C1004",
        "refund",
        {"bill_id": "B1004-2025-06", "amount": 89},
        "needs_approval",
        "refund_over_cap",
    ),
    # credits
    ("C1002", "apply_credit", {"amount": 20}, "allowed", "credit_within_cap"),
    ("C1002", "apply_credit", {"amount": 20.01}, "denied", "credit_cap"),
    ("C1002", "apply_credit", {"amount": 0}, "denied", "credit_args"),
    # plan changes
    ("C1011", "change_plan", {"plan_id": "P-STD"}, "needs_approval", "plan_change_approval"),
    ("C1010", "change_plan", {"plan_id": "P-STD"}, "needs_approval", "plan_change_approval"),
    ("C1012", "change_plan", {"plan_id": "P-BASIC"}, "denied", "downgrade_in_contract"),
    ("C1012", "change_plan", {"plan_id": "P-UNL"}, "denied", "plan_unchanged"),
    ("C1012", "change_plan", {"plan_id": "P-GOLD"}, "denied", "plan_unknown"),
    ("C1012", "change_plan", {}, "denied", "plan_args"),
    # technicians
    ("C1007", "book_technician", {}, "needs_approval", "technician_approval"),
    ("C1008", "book_technician", {}, "denied", "no_free_slot"),
    ("C1007", "book_technician", {"slot_id": "S-HARB-0616-09"}, "denied", "slot_in_area"),
    ("C1007", "book_technician", {"slot_id": "S-NOPE"}, "denied", "slot_in_area"),
    # line resets
    ("C1006", "reset_line", {}, "allowed", "line_reset"),
    ("C1006", "reset_line", {"line_id": "L1006-1"}, "allowed", "line_reset"),
    ("C1006", "reset_line", {"line_id": "L1001-1"}, "denied", "line_own"),
    ("C1013", "reset_line", {}, "denied", "line_suspended"),
    # the rest
    ("C1002", "escalate", {"reason": "the customer asks for a manager"}, "allowed", "escalation"),
    ("C1002", "transfer_money", {}, "denied", "unknown_action"),
]


@pytest.mark.parametrize(("customer", "action", "args", "status", "rule"), RULES)
def test_each_rule(db, customer, action, args, status, rule):
    result = verdict(db, customer, action, args)
    assert (result.status, result.rule) == (status, rule), result.reason
    assert result.reason


def test_only_plan_changes_and_technicians_may_be_approved_automatically(db):
    assert verdict(db, "C1011", "change_plan", {"plan_id": "P-STD"}).auto_approvable
    assert verdict(db, "C1007", "book_technician", {}).auto_approvable
    assert not verdict(
        db, "C1004", "refund", {"bill_id": "B1004-2025-06", "amount": 89}
    ).auto_approvable


def test_a_technician_gets_the_earliest_free_slot_in_the_customers_area(db):
    with connected(db) as connection:
        earliest = CustomerRecords(connection, "C1007").free_slots(1)[0]["slot_id"]
    assert verdict(db, "C1007", "book_technician", {}).args == {"slot_id": earliest}


def test_a_booked_slot_is_refused(db):
    from tests.unit_tests.support_script import rows

    booked = rows(
        db,
        "SELECT a.slot_id FROM appointments a JOIN technician_slots s USING (slot_id) "
        "WHERE s.area = 'Northgate' LIMIT 1",
    )[0]["slot_id"]
    result = verdict(db, "C1007", "book_technician", {"slot_id": booked})
    assert (result.status, result.rule) == ("denied", "slot_free")


def test_a_reset_picks_the_line_at_fault(db):
    assert verdict(db, "C1018", "reset_line", {}).args == {"line_id": "L1018-1"}


def test_at_most_the_policys_number_of_actions_and_none_twice(db):
    refund = ("refund", {"bill_id": "B1002-2025-06", "amount": 30.0})
    again = verdict(db, "C1002", *refund, earlier=[(*refund, "allowed")])
    assert (again.status, again.rule) == ("denied", "no_duplicate")
    wrong = ("refund", {"bill_id": "B1001-2025-06", "amount": 45.0})
    repeated = verdict(db, "C1002", *wrong, earlier=[(*wrong, "denied")])
    assert (repeated.status, repeated.rule) == ("denied", "no_duplicate")
    full = [("escalate", {"reason": str(n)}, "allowed") for n in range(4)]
    over = verdict(db, "C1002", "apply_credit", {"amount": 5}, earlier=full)
    assert (over.status, over.rule) == ("denied", "max_actions")
    refused = [("escalate", {"reason": str(n)}, "denied") for n in range(4)]
    assert verdict(db, "C1002", "apply_credit", {"amount": 5}, earlier=refused).status == "allowed"


def test_the_operators_file_in_teamgraph_home_sets_the_numbers(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    assert policy_path() == DEFAULT_POLICY
    numbers = json.loads(DEFAULT_POLICY.read_text())
    (tmp_path / "support_policy.json").write_text(
        json.dumps({**numbers, "refund_approval_over": 10})
    )
    assert policy_path() == tmp_path / "support_policy.json"
    result = verdict(
        db, "C1002", "refund", {"bill_id": "B1002-2025-06", "amount": 30}, numbers=load_policy()
    )
    assert (result.status, result.rule) == ("needs_approval", "refund_over_cap")
    assert "10.00" in result.reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"refund_approval_over": -1}', "refund_approval_over"),
        (
            '{"refund_approval_over": 50, "max_credit": 20, "max_actions_per_ticket": 4, '
            '"escalate_at_rating": 2, "escalate_after_failures": 2, "surprise": 1}',
            "surprise",
        ),
    ],
)
def test_an_unusable_policy_file_is_named_with_the_problem(tmp_path, monkeypatch, text, message):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    (tmp_path / "support_policy.json").write_text(text)
    with pytest.raises(InputError, match=message) as error:
        load_policy()
    assert "support_policy.json" in str(error.value)


def test_the_demo_keeps_its_own_today(db):
    with connected(db) as connection:
        assert desk_today(connection) == TODAY
