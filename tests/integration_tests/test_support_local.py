"""The support desk on the embedded model, from the command line: what the run controls."""

import json
import os
import sqlite3
import subprocess
import sys

CLI = [sys.executable, "-c", "import sys; from graphs.cli import main; sys.exit(main())"]
ROLES = {"triage", "account", "diagnosis", "resolution", "writer", "critic"}
STATUSES = {"done", "denied", "failed"}


def test_a_ticket_runs_offline_within_the_policy_and_every_action_is_audited(tmp_path):
    env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path), "TEAMGRAPH_OFFLINE": "1"}

    def cli(*args):
        return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=900)

    assert cli("support", "init", "--demo").returncode == 0
    ticket = "My internet has been down since yesterday and I was charged twice."
    argv = ["support", ticket, "--customer", "C1001", "--auto-approve", "--feedback", "1"]
    done = cli(*argv, "--thread", "local", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"triage", "findings", "actions", "reply", "escalated", "stop_reason", "usage"} <= set(
        report
    )
    assert set(report["usage"]) == ROLES
    assert all(report["usage"][role]["calls"] >= 1 for role in ROLES)
    assert [f["role"] for f in report["findings"]] == ["account", "diagnosis"]
    personal = [
        row
        for f in report["findings"]
        for row in f["rows"]
        if row.split("/")[0] in ("customers", "bills", "lines", "payments")
    ]
    assert personal and all("1001" in row for row in personal)
    assert report["reply"].strip()
    assert report["escalated"] and report["stop_reason"] == "escalated"
    assert "Account agent found" in done.stderr and "Diagnosis agent found" in done.stderr

    connection = sqlite3.connect(tmp_path / "support.sqlite")
    for action in report["actions"]:
        assert action["status"] in STATUSES, action
        audit = connection.execute(
            "SELECT status, thread_id FROM audit_log WHERE action_id = ?", (action["id"],)
        ).fetchall()
        assert audit and audit[-1] == (action["status"], "local"), action
    refunds = connection.execute("SELECT customer_id, bill_id, amount FROM refunds").fetchall()
    assert all(r[:2] == ("C1001", "B1001-2025-06") for r in refunds)
    assert sum(r[2] for r in refunds) <= 45.0
    assert connection.execute("SELECT customer_id, thread_id FROM escalations").fetchall() == [
        ("C1001", "local")
    ]
    assert connection.execute("SELECT status, rating FROM tickets").fetchall() == [("escalated", 1)]
