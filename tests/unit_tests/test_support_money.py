"""Money and the support database: amounts are cents, JSON is strict, every refusal is
audited, a failure is worded for the customer, and a disk or file that cannot be written
is said plainly before any model call."""

import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from langgraph.checkpoint.memory import InMemorySaver

import graphs.support
from graphs import support
from graphs.cli import main
from graphs.cli.results import print_json
from tests.fakes import RoutedChatModel, swap_build
from tests.unit_tests.support_script import (
    action,
    demo_database,
    desk_model,
    desk_rules,
    proposal,
    rows,
)
from tools.kernel.errors import InputError
from tools.support_db.actions import NOT_RECORDED, execute_action, record_decision
from tools.support_db.audit import RunContext
from tools.support_db.database import connected, transaction
from tools.support_db.policy import DEFAULT_POLICY, check_action, load_policy
from tools.support_db.records import CustomerRecords

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def strict(text):
    """Parse ``text`` as strict JSON parsers do: NaN and Infinity are errors."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def db(tmp_path):
    return demo_database(tmp_path)


BAD_AMOUNTS = [math.nan, math.inf, -math.inf, True, 0.004, 0, -5, 12.345, "12", None]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_a_bad_amount_is_refused_before_any_rule_compares_it(db, amount):
    numbers = load_policy(DEFAULT_POLICY)
    with connected(db) as connection:
        records = CustomerRecords(connection, "C1002")
        refund = check_action(
            "refund", {"bill_id": "B1002-2025-06", "amount": amount}, records, numbers
        )
        credit = check_action("apply_credit", {"amount": amount}, records, numbers)
    assert (refund.status, refund.rule) == ("denied", "refund_args")
    assert (credit.status, credit.rule) == ("denied", "credit_args")
    assert "amount" in refund.reason and "amount" in credit.reason


def test_a_whole_number_of_cents_passes(db):
    with connected(db) as connection:
        records = CustomerRecords(connection, "C1002")
        credit = check_action(
            "apply_credit", {"amount": 0.01}, records, load_policy(DEFAULT_POLICY)
        )
    assert (credit.status, credit.args) == ("allowed", {"amount": 0.01})


@pytest.mark.parametrize("cap", ["1e999", "NaN", "-Infinity"])
def test_a_policy_with_a_cap_that_is_not_finite_is_refused(tmp_path, cap):
    numbers = json.loads(DEFAULT_POLICY.read_text())
    text = json.dumps(numbers).replace(
        f'"max_credit": {numbers["max_credit"]}', f'"max_credit": {cap}'
    )
    path = tmp_path / "support_policy.json"
    path.write_text(text)
    with pytest.raises(InputError, match="max_credit"):
        load_policy(path)


def desk(db, model, customer="C1004"):
    return support.build_graph(
        dict.fromkeys(support.ROLES, model),
        checkpointer=InMemorySaver(),
        customer_id=customer,
        db_path=str(db),
        feedback=4,
    )


def nan_then_fine(prompt):
    """The resolution's first reply has a NaN amount, the re-ask a fine credit."""
    if "could not be used" in prompt:
        return proposal(action("apply_credit", amount=5))
    return proposal(action("apply_credit", amount=1)).replace("1}", "NaN}")


def test_a_refused_proposal_gets_an_audit_row_in_strict_json(db):
    rules = desk_rules(resolution=nan_then_fine)
    graph = desk(db, RoutedChatModel(rules=rules), customer="C1002")
    state = graph.invoke(
        {"ticket": "Please give me a goodwill credit"}, {"configurable": {"thread_id": "m"}}
    )
    assert [(a["action"], a["status"]) for a in state["actions"]] == [("apply_credit", "done")]
    audit = rows(db, "SELECT action, status, rule, args, detail FROM audit_log ORDER BY entry_id")
    refused = audit[0]
    assert (refused["action"], refused["status"], refused["rule"]) == (
        "proposal",
        "denied",
        "proposal_invalid",
    )
    assert "finite" in refused["detail"] and "NaN" in strict(refused["args"])["reply"]
    for row in audit:
        strict(row["args"])
    assert rows(db, "SELECT amount FROM credits") == [{"amount": 5.0}]


def test_json_on_stdout_is_strict_whatever_it_holds(capsys):
    print_json({"amount": math.nan, "cap": [math.inf, -math.inf], "ok": 1.5})
    assert strict(capsys.readouterr().out) == {
        "amount": "NaN",
        "cap": ["Infinity", "-Infinity"],
        "ok": 1.5,
    }


def context():
    return RunContext(customer_id="C1002", ticket_id="T-1", thread_id="t", run_id="r")


def test_an_action_the_database_refuses_is_worded_for_the_customer(db):
    from agents.support.reply import compose_reply

    with connected(db) as connection:
        record_decision(
            connection,
            db,
            context(),
            "A-1",
            "apply_credit",
            {"amount": None},
            ("allowed", "r", "ok"),
        )
        status, why = execute_action(connection, db, context(), "A-1", "goodwill")
    assert (status, why) == ("failed", NOT_RECORDED)
    [failed] = rows(db, "SELECT detail FROM audit_log WHERE status = 'failed'")
    assert "NOT NULL constraint failed" in failed["detail"]
    reply = compose_reply(
        "Hello.", [{"action": "apply_credit", "args": {}, "status": status, "reason": why}], None
    )
    assert "constraint" not in reply and "could not be completed" in reply


def test_a_full_database_says_it_is_full_not_that_no_transaction_is_active(tmp_path):
    connection = sqlite3.connect(str(tmp_path / "full.sqlite"), isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        with transaction(connection):
            for _ in range(100):
                connection.execute("INSERT INTO t VALUES (?)", ("x" * 4000,))
    assert not connection.in_transaction
    assert connection.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    return tmp_path


def read_only(path):
    """Make ``path`` read-only for this process (root included); False if it cannot be."""
    os.chmod(path, 0o444)
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    try:
        with open(path, "r+b"):
            return False
    except OSError:
        return True


def writable_again(path):
    if shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    os.chmod(path, 0o644)


def test_a_read_only_database_is_refused_before_any_model_call(home, monkeypatch, capsys):
    assert main(["support", "init", "--demo", "-q"]) == 0
    model = desk_model()
    swap_build(
        monkeypatch,
        "support",
        lambda _m, **kw: graphs.support.build_graph(
            dict.fromkeys(graphs.support.ROLES, model), **kw
        ),
    )
    db = home / "support.sqlite"
    if not read_only(db):
        pytest.skip("this file system cannot make a file read-only for this user")
    try:
        assert main(["support", "Charged twice", "--customer", "C1002", "-q"]) == 1
    finally:
        writable_again(db)
    err = capsys.readouterr().err
    assert f"The support database {db} is read-only" in err and "unexpected" not in err
    assert model.calls == []


def test_init_demo_does_not_wipe_tickets_without_reset(home, monkeypatch, capsys):
    assert main(["support", "init", "--demo", "-q"]) == 0
    model = desk_model(resolution=proposal(action("reset_line", line_id="L1002-1")))
    swap_build(
        monkeypatch,
        "support",
        lambda _m, **kw: graphs.support.build_graph(
            dict.fromkeys(graphs.support.ROLES, model), **kw
        ),
    )
    assert main(["support", "Line down", "--customer", "C1002", "--feedback", "4", "-q"]) == 0
    capsys.readouterr()
    db = home / "support.sqlite"
    before = db.read_bytes()
    assert main(["support", "init", "--demo"]) == 1
    err = capsys.readouterr().err
    assert "holds 1 ticket(s) and 1 action(s)" in err and "--reset" in err
    assert db.read_bytes() == before
    assert main(["support", "init", "--demo", "--reset"]) == 0
    assert "reset to the demo dataset" in capsys.readouterr().out
    assert rows(db, "SELECT * FROM tickets") == []


def can_mount_a_small_disk():
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not can_mount_a_small_disk(), reason="needs root to mount a small disk")
def test_a_full_teamgraph_home_is_worded(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    command = (
        f"mount -t tmpfs -o size=256k tmpfs {home} && "
        f"(dd if=/dev/zero of={home}/filler bs=4k >/dev/null 2>&1; true) && "
        f"exec {sys.executable} -m tests.unit_tests.team_cli_entry run bees --thread F1 -q"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", command],
        cwd=ROOT,
        env={**os.environ, "TEAMGRAPH_HOME": str(home), "TEAM_SCRIPT_ROUTE": "writer"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "is full: free some space, or set TEAMGRAPH_HOME" in done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
