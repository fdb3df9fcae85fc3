"""``teamgraph support``: init, a ticket's JSON, bad input, approvals from another process, kill -9."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import graphs.support
from graphs.cli import main
from tests.fakes import swap_build
from tests.unit_tests.support_script import action, desk_model, proposal, rows
from tools.support_db import database

ROOT = Path(__file__).resolve().parents[2]
ENTRY = [sys.executable, "-m", "tests.unit_tests.support_cli_entry"]
CONTRACT_KEYS = {"triage", "findings", "actions", "reply", "escalated", "stop_reason", "usage"}
STATUSES = {"done", "denied", "awaiting_approval", "failed"}


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def demo(home, capsys):
    assert main(["support", "init", "--demo", "-q"]) == 0
    capsys.readouterr()
    return home / "support.sqlite"


def use_desk(monkeypatch, **replies):
    model = desk_model(**replies)
    swap_build(
        monkeypatch,
        "support",
        lambda _m, **kw: graphs.support.build_graph(
            dict.fromkeys(graphs.support.ROLES, model), **kw
        ),
    )
    return model


def run_json(argv, capsys, code=0):
    assert main(argv) == code
    return json.loads(capsys.readouterr().out)


def test_init_creates_the_demo_then_finds_it_up_to_date(home, capsys):
    first = run_json(["support", "init", "--demo", "--json"], capsys)
    assert first["customers"] == 240 and first["created"] and first["schema_version"] == 2
    assert first["db"] == str(home / "support.sqlite")
    again = run_json(["support", "init", "--json"], capsys)
    assert not again["created"] and not again["migrated"] and again["customers"] == 240
    assert main(["support", "init", "--demo"]) == 0
    assert "reset to the demo dataset" in capsys.readouterr().out
    other = home / "elsewhere.sqlite"
    assert main(["support", "init", "--db", str(other)]) == 0
    assert "created, schema version 2, 0 customers" in capsys.readouterr().out


def test_a_ticket_gives_one_json_object_with_the_contract_keys(demo, monkeypatch, capsys):
    use_desk(monkeypatch, resolution=proposal(action("refund", bill_id="B1002-2025-06", amount=30)))
    argv = ["support", "I was charged twice", "--customer", "C1002", "--feedback", "5", "--json"]
    report = run_json(argv, capsys)
    assert CONTRACT_KEYS <= set(report)
    assert report["triage"]["category"] == "billing"
    assert [f["role"] for f in report["findings"]] == ["account", "diagnosis"]
    for item in report["actions"]:
        assert {"action", "args", "status", "reason"} <= set(item) and item["status"] in STATUSES
    assert report["actions"][0]["args"] == {"amount": 30.0, "bill_id": "B1002-2025-06"}
    assert report["escalated"] is False and report["stop_reason"] == "replied"
    assert set(report["usage"]) == set(graphs.support.ROLES)
    assert report["thread"] and rows(demo, "SELECT amount FROM refunds") == [{"amount": 30.0}]


def test_progress_names_the_agent_at_work(demo, monkeypatch, capsys):
    use_desk(monkeypatch)
    argv = ["support", "My line is slow", "--customer", "C1002", "--feedback", "4"]
    assert main([*argv, "--thread", "slow-line"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Dear customer")
    for line in (
        "thread slow-line (resume with: teamgraph resume --thread slow-line)",
        "Triage: billing",
        "Account agent found",
        "Diagnosis agent found",
        "Critic approved",
    ):
        assert line in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["support", "hi", "--customer", "C9999"], "No customer 'C9999'"),
        (["support", "  ", "--customer", "C1002"], "The ticket is empty"),
        (
            ["support", "hi", "--customer", "C1002", "--demo"],
            "--demo and --reset go with `support init`",
        ),
        (["support", "init", "--customer", "C1002"], "takes only --demo, --reset and --db"),
        (
            ["support", "hi", "--customer", "C1002", "--db", "/nowhere/x.sqlite"],
            "No support database",
        ),
        (
            ["support", "hi", "--customer", "C1002", "--max-calls", "0"],
            "--max-calls must be 1 or more",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_nothing_is_written(demo, argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert rows(demo, "SELECT * FROM tickets") == []


def test_a_ticket_without_a_customer_is_a_usage_error(demo, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["support", "hi"])
    assert stopped.value.code == 2 and "--customer" in capsys.readouterr().err


def test_a_missing_database_says_how_to_make_one(home, capsys):
    assert main(["support", "hi", "--customer", "C1001"]) == 1
    assert "teamgraph support init --demo" in capsys.readouterr().err


def test_a_locked_database_is_reported_and_left_alone(demo, monkeypatch, capsys):
    monkeypatch.setattr(database, "LOCK_WAIT_S", 0.1)
    holder = sqlite3.connect(str(demo), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["support", "hi", "--customer", "C1002"]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another process" in capsys.readouterr().err


def test_resume_finishes_a_support_thread_with_its_own_team(demo, monkeypatch, capsys):
    use_desk(monkeypatch)
    argv = ["support", "My line is slow", "--customer", "C1002", "--thread", "S1", "--json"]
    waiting = run_json(argv, capsys, code=3)
    assert waiting["pending"]["kind"] == "feedback"
    done = run_json(["resume", "--thread", "S1", "--answer", "5", "--json"], capsys)
    assert done["rating"] == 5 and done["customer_id"] == "C1002"
    assert done["stop_reason"] == "replied" and done["thread"] == "S1"
    listed = run_json(["threads", "--json"], capsys)
    assert [(t["team"], t["status"], t["request"]) for t in listed] == [
        ("support", "done", "My line is slow")
    ]


def cli(home, *args, code=0, **env):
    done = subprocess.run(
        [*ENTRY, *args],
        cwd=ROOT,
        env={**os.environ, "TEAMGRAPH_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    return json.loads(done.stdout) if done.stdout.strip().startswith("{") else done


def test_approvals_are_answered_from_another_process(demo):
    home = demo.parent
    ticket = ["support", "Router replacement billed twice", "--customer", "C1004"]
    first = cli(home, *ticket, "--thread", "A1", "--feedback", "4", "--json", code=3)
    pending = first["pending"]
    assert first["status"] == "waiting_for_approval" and pending["kind"] == "action_approval"
    assert [(a["action"], a["rule"]) for a in pending["actions"]] == [
        ("refund", "refund_over_cap"),
        ("book_technician", "technician_approval"),
    ]
    assert rows(demo, "SELECT * FROM refunds") == []
    done = cli(home, "resume", "--thread", "A1", "--answer", "approve", "--json")
    assert [(a["action"], a["status"]) for a in done["actions"]] == [
        ("refund", "done"),
        ("reset_line", "done"),
        ("book_technician", "done"),
    ]
    assert rows(demo, "SELECT amount FROM refunds") == [{"amount": 89.0}]
    idle = cli(home, "resume", "--thread", "A1", "--answer", "approve", code=1)
    assert "not waiting for an approval" in idle.stderr


def wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, "the run never reached its first action"
        time.sleep(0.05)


def test_a_run_killed_between_two_actions_resumes_without_doing_any_twice(demo, tmp_path):
    home = demo.parent
    ticket = ["support", "Router replacement billed twice", "--customer", "C1004"]
    cli(home, *ticket, "--thread", "K9", "--feedback", "4", "--json", code=3)
    marker = tmp_path / "first-action-done"
    process = subprocess.Popen(
        [*ENTRY, "resume", "--thread", "K9", "--answer", "approve", "--json"],
        cwd=ROOT,
        env={**os.environ, "TEAMGRAPH_HOME": str(home), "SUPPORT_SCRIPT_PAUSE": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(marker)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert marker.read_text() == "done"
    assert rows(demo, "SELECT amount FROM refunds") == [{"amount": 89.0}]
    assert rows(demo, "SELECT * FROM line_resets") == []
    done = cli(home, "resume", "--thread", "K9", "--json")
    assert [a["status"] for a in done["actions"]] == ["done", "done", "done"]
    assert rows(demo, "SELECT amount FROM refunds") == [{"amount": 89.0}]
    assert len(rows(demo, "SELECT * FROM line_resets")) == 1
    assert len(rows(demo, "SELECT * FROM appointments WHERE customer_id = 'C1004'")) == 1
    done_entries = rows(demo, "SELECT action_id FROM audit_log WHERE status = 'done'")
    assert len(done_entries) == len({e["action_id"] for e in done_entries}) == 3


def test_the_live_view_says_when_both_specialists_work_at_once():
    from graphs.support.narration import SupportNarrator

    narrator = SupportNarrator(cap=1)
    assert narrator.activity("triage", {}) == "Triage is reading the ticket"
    assert narrator.activity("account", {}) == "Account agent is choosing what to read"
    assert narrator.activity("diagnosis/tools", {}) == (
        "Account and Diagnosis agents are working at the same time"
    )
    from langchain_core.messages import AIMessage, ToolMessage

    choice = AIMessage(
        "",
        tool_calls=[
            {"name": n, "args": {}, "id": str(i)} for i, n in enumerate(["outages", "line_status"])
        ],
    )
    assert narrator.done("diagnosis/agent", {"messages": [choice]}) == (
        "Diagnosis agent chose to read outages, line status"
    )
    assert narrator.done("account/agent", {"messages": [AIMessage("enough")]}) is None
    again = choice.model_copy()
    assert narrator.done("diagnosis/agent", {"messages": [again]}) == (
        "Diagnosis agent asked for outages, line status again with the same input: "
        "nothing new to read"
    )
    calls = [
        ToolMessage("..", tool_call_id=str(i), name=n)
        for i, n in enumerate(["outages", "line_status", "outages"])
    ]
    assert narrator.done("diagnosis/tools", {"messages": calls}) == (
        "Diagnosis agent read outages, line status"
    )
    assert narrator.done("account/tools", {}) == "Account agent read the records"
    record = {"summary": "two bills", "rows": ["bills/B1", "bills/B2"]}
    assert narrator.done("account/findings", {"findings": {"account": record}}) == (
        "Account agent found: two bills (2 rows)"
    )
    assert narrator.activity("diagnosis/findings", {}) == (
        "Diagnosis agent is writing its findings"
    )
    assert narrator.activity("writer", {"drafts": ["d"]}) == (
        "Writer is revising the reply (revision 1 of 1)"
    )


def test_the_live_view_tells_each_action_status_once():
    from graphs.support.narration import SupportNarrator

    narrator = SupportNarrator(cap=1)
    refused = {"id": "A-1", "action": "refund", "status": "denied"}
    allowed = {"id": "A-2", "action": "apply_credit", "status": "allowed"}
    assert narrator.done("policy", {"actions": [refused, allowed]}) == (
        "Actions: refund denied; apply_credit allowed"
    )
    done = {**allowed, "status": "done"}
    assert narrator.done("execute", {"actions": [refused, done]}) == "Actions: apply_credit done"
    assert narrator.done("execute", {"actions": [refused, done]}) is None
