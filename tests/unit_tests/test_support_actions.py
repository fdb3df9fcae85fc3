"""Actions on the database: one transaction each, never twice, every step in the audit log."""

import pytest

from tests.unit_tests.support_script import demo_database, rows
from tools.support_db.actions import action_id, answer_approval, execute_action, record_decision
from tools.support_db.audit import RunContext
from tools.support_db.database import connected
from tools.support_db.tickets import escalate

CONTEXT = RunContext(customer_id="C1002", ticket_id="T-1", thread_id="th", run_id="th:1")


@pytest.fixture
def db(tmp_path):
    return demo_database(tmp_path)


def decide_and_run(db, action, args, status="allowed", rule="r", context=CONTEXT, index=0):
    identity = action_id(context["run_id"], index, action, args)
    with connected(db) as connection:
        record_decision(connection, db, context, identity, action, args, (status, rule, "ok"))
        return identity, execute_action(connection, db, context, identity, "the reason")


def test_the_same_proposal_has_the_same_id_and_another_run_another():
    args = {"bill_id": "B1", "amount": 1.0}
    assert action_id("th:1", 0, "refund", args) == action_id("th:1", 0, "refund", dict(args))
    assert action_id("th:1", 0, "refund", args) != action_id("th:2", 0, "refund", args)
    assert action_id("th:1", 0, "refund", args) != action_id("th:1", 1, "refund", args)


def test_an_action_runs_once_however_often_it_is_asked(db):
    args = {"bill_id": "B1002-2025-06", "amount": 30.0}
    identity, first = decide_and_run(db, "refund", args)
    assert first == ("done", "refunded 30.00 on B1002-2025-06")
    with connected(db) as connection:
        again = execute_action(connection, db, CONTEXT, identity, "the reason")
        record_decision(connection, db, CONTEXT, identity, "refund", args, ("allowed", "r", "ok"))
    assert again == first
    assert rows(db, "SELECT amount, action_id FROM refunds") == [
        {"amount": 30.0, "action_id": identity}
    ]
    statuses = [r["status"] for r in rows(db, "SELECT status FROM audit_log ORDER BY entry_id")]
    assert statuses == ["allowed", "done"]


def test_every_decision_and_outcome_is_audited_with_thread_and_run(db):
    identity, _ = decide_and_run(db, "apply_credit", {"amount": 5.0})
    denied = action_id(CONTEXT["run_id"], 1, "apply_credit", {"amount": 50.0})
    with connected(db) as connection:
        record_decision(
            connection,
            db,
            CONTEXT,
            denied,
            "apply_credit",
            {"amount": 50.0},
            ("denied", "cap", "no"),
        )
    entries = rows(db, "SELECT action_id, status, thread_id, run_id, customer_id FROM audit_log")
    assert [(e["action_id"], e["status"]) for e in entries] == [
        (identity, "allowed"),
        (identity, "done"),
        (denied, "denied"),
    ]
    assert {(e["thread_id"], e["run_id"], e["customer_id"]) for e in entries} == {
        ("th", "th:1", "C1002")
    }
    assert rows(db, "SELECT status, rule FROM actions WHERE action_id = ?", denied) == [
        {"status": "denied", "rule": "cap"}
    ]


def test_a_refused_or_waiting_action_is_never_run(db):
    args = {"bill_id": "B1002-2025-06", "amount": 30.0}
    _, denied = decide_and_run(db, "refund", args, status="denied")
    _, waiting = decide_and_run(db, "refund", args, status="awaiting_approval", index=1)
    assert denied[0] == "denied" and waiting[0] == "awaiting_approval"
    assert rows(db, "SELECT * FROM refunds") == []


def test_an_approval_is_recorded_once_and_only_on_a_waiting_action(db):
    args = {"slot_id": "S-NORT-0616-09"}
    context = RunContext(customer_id="C1007", ticket_id="T-2", thread_id="th", run_id="th:1")
    identity = action_id("th:1", 0, "book_technician", args)
    with connected(db) as connection:
        record_decision(
            connection,
            db,
            context,
            identity,
            "book_technician",
            args,
            ("awaiting_approval", "t", "w"),
        )
        declined = answer_approval(connection, db, context, identity, False, "not now")
        again = answer_approval(connection, db, context, identity, True, "yes")
        outcome = execute_action(connection, db, context, identity, "r")
    assert (declined["status"], declined["rule"]) == ("denied", "declined_by_person")
    assert again["status"] == "denied" and outcome == ("denied", "not now")
    assert rows(db, "SELECT * FROM appointments WHERE customer_id = 'C1007'") == []


def test_an_action_that_can_no_longer_be_done_fails_and_leaves_nothing_half_written(db):
    context = RunContext(customer_id="C1007", ticket_id="T-3", thread_id="th", run_id="th:1")
    slot = rows(
        db,
        "SELECT s.slot_id FROM technician_slots s LEFT JOIN appointments a USING (slot_id) "
        "WHERE s.area = 'Northgate' AND a.slot_id IS NULL LIMIT 1",
    )[0]["slot_id"]
    with connected(db) as connection:
        connection.execute(
            "INSERT INTO appointments VALUES ('AP-x', 'C1002', ?, 'taken meanwhile', NULL, 'now')",
            (slot,),
        )
    identity, outcome = decide_and_run(db, "book_technician", {"slot_id": slot}, context=context)
    assert outcome == ("failed", f"the slot {slot} is no longer free")
    assert rows(db, "SELECT * FROM appointments WHERE customer_id = 'C1007'") == []
    assert [r["status"] for r in rows(db, "SELECT status FROM audit_log")] == ["allowed", "failed"]
    assert rows(db, "SELECT status FROM actions WHERE action_id = ?", identity) == [
        {"status": "failed"}
    ]


def test_a_refund_beyond_what_is_left_fails_at_execution(db):
    decide_and_run(db, "refund", {"bill_id": "B1002-2025-06", "amount": 30.0})
    _, second = decide_and_run(db, "refund", {"bill_id": "B1002-2025-06", "amount": 1.0}, index=1)
    assert second == ("failed", "only 0.00 is left to refund on B1002-2025-06")
    assert len(rows(db, "SELECT * FROM refunds")) == 1


def test_each_action_changes_what_it_says(db):
    context = RunContext(customer_id="C1006", ticket_id="T-4", thread_id="th", run_id="th:1")
    _, reset = decide_and_run(db, "reset_line", {"line_id": "L1006-1"}, context=context)
    assert reset[0] == "done"
    assert rows(db, "SELECT status FROM lines WHERE line_id = 'L1006-1'") == [{"status": "active"}]
    context = RunContext(customer_id="C1011", ticket_id="T-5", thread_id="th", run_id="th:1")
    _, change = decide_and_run(db, "change_plan", {"plan_id": "P-STD"}, context=context, index=1)
    assert change == ("done", "changed the plan from P-UNL to P-STD")
    assert rows(db, "SELECT from_plan, to_plan FROM plan_changes") == [
        {"from_plan": "P-UNL", "to_plan": "P-STD"}
    ]
    _, escalated = decide_and_run(db, "escalate", {"reason": "wants a call"}, index=2)
    assert escalated[0] == "done"
    assert rows(db, "SELECT customer_id, reason FROM escalations") == [
        {"customer_id": "C1002", "reason": "wants a call"}
    ]


def test_a_ticket_opens_one_escalation_audited_once(db):
    with connected(db) as connection:
        first = escalate(connection, db, CONTEXT, "low_rating", "rated 1")
        second = escalate(connection, db, CONTEXT, "low_rating", "rated 1")
    assert first == second == "E-1"
    assert len(rows(db, "SELECT * FROM escalations")) == 1
    assert rows(db, "SELECT action, status, rule FROM audit_log") == [
        {"action": "escalate", "status": "done", "rule": "low_rating"}
    ]
