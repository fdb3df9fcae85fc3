"""The teams served by ``teamgraph serve --workers 2`` (Aegra) over real PostgreSQL and Redis.

One deployment for the module, on free ports of 127.0.0.1, reached through langgraph_sdk
and the CLI's ``--server``; the scripted model server counts every model call. Leases are
short here (6 s) so that a killed worker's run is taken up quickly.
"""

import json
import os
import re
import signal
import time

import psycopg
import pytest
from langgraph_sdk import get_sync_client

from tests.fake_openai_server import FakeOpenAIServer
from tests.integration_tests.cli_runs import cli, server_env, start, wait_for
from tests.integration_tests.deploying import need
from tests.services import PG_PASSWORD, PostgresServer, RedisServer, TeamgraphServe

TERMINAL = ("success", "error", "interrupted", "timeout")
WRITER_CALLS = 4
"""A writer run on the scripted model: the plan, a draft, a critique, the review."""
PICKED = re.compile(r"Worker picked up run.*?run_id=(\S+).*?worker=(\S+)-worker-\d+")


class Deployment:
    """The served teams: their URL, the scripted model, the database, what serve said."""

    def __init__(self, serve, fake, database, environment):
        self.url, self.said = serve.url, serve.said
        self.fake, self.database, self.environment = fake, database, environment
        self.client = get_sync_client(url=self.url, timeout=(30, 300, 30, 30))

    def wait_done(self, thread, run, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            status = self.client.runs.get(thread, run)["status"]
            if status in TERMINAL:
                return status
            assert time.monotonic() < deadline, f"run {run} still {status}"
            time.sleep(0.3)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    need("postgres", "redis", "aegra")
    home = tmp_path_factory.mktemp("home")
    with PostgresServer() as pg, RedisServer() as redis, FakeOpenAIServer(latency_s=0.05) as fake:
        environment = {
            **server_env(fake, home),
            "TEAMGRAPH_MODEL": "openai:fake",
            "TEAMGRAPH_CHECKPOINT_URL": pg.url(),
            "LOG_LEVEL": "INFO",
            "LEASE_DURATION_SECONDS": "6",
            "HEARTBEAT_INTERVAL_SECONDS": "2",
            "REAPER_INTERVAL_SECONDS": "2",
        }
        with TeamgraphServe(environment, workers=2, redis=redis.url) as serve:
            yield Deployment(serve, fake, pg.url(), environment)


def test_twenty_runs_on_two_workers_are_each_made_exactly_once(served):
    served.fake.reset_counts()
    threads = [f"twenty-{n}" for n in range(20)]
    runs = {
        thread: served.client.runs.create(
            thread, "writer", input={"topic": f"topic {thread}"}, if_not_exists="create"
        )["run_id"]
        for thread in threads
    }
    for thread, run in runs.items():
        assert served.wait_done(thread, run) == "success"
    assert served.fake.calls == 20 * WRITER_CALLS
    for thread in threads:
        assert [run["status"] for run in served.client.runs.list(thread)] == ["success"]
        usage = served.client.threads.get_state(thread)["values"]["usage"]
        assert sum(role["calls"] for role in usage.values()) == WRITER_CALLS
    picked = dict(PICKED.findall(served.said()))
    assert set(runs.values()) <= set(picked), "every run was picked up by a worker"
    assert len({picked[run] for run in runs.values()}) == 2, "both workers made runs"


def test_an_approval_is_answered_through_the_sdk(served):
    client, thread = served.client, "approval-1"
    asked = {"context": {"approve": True}, "if_not_exists": "create"}
    run = client.runs.create(thread, "team", input={"request": "Report on tea"}, **asked)
    kinds = []
    for answer in ({"action": "approve"}, {"action": "approve"}):
        assert served.wait_done(thread, run["run_id"]) == "interrupted"
        waiting = client.threads.get_state(thread)["interrupts"]
        kinds.append(waiting[0]["value"]["kind"])
        run = client.runs.create(thread, "team", command={"resume": answer}, **asked)
    assert served.wait_done(thread, run["run_id"]) == "success"
    assert kinds == ["plan_approval", "draft_approval"]
    state = client.threads.get_state(thread)
    assert state["values"]["final"] and not state["next"]


def comparable(report):
    dropped = ("thread", "elapsed_s", "since_request_s")
    kept = {key: value for key, value in report.items() if key not in dropped}
    usage = kept.get("usage") or {}
    rows = usage.values() if isinstance(usage, dict) else usage
    for row in rows:
        row.pop("seconds", None)
    return kept


def test_the_cli_on_the_server_prints_what_a_local_run_prints(served, tmp_path):
    local_env = {k: v for k, v in served.environment.items() if k != "TEAMGRAPH_CHECKPOINT_URL"}
    local_env["TEAMGRAPH_HOME"] = str(tmp_path)
    local = cli(local_env, "write", "why bees matter", "--json", "--max-revisions", "1")
    remote = cli(
        local_env, "write", "why bees matter", "--json", "--max-revisions", "1",
        "--server", served.url,
    )  # fmt: skip
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert comparable(json.loads(remote.stdout)) == comparable(json.loads(local.stdout))
    waiting = cli(local_env, "run", "Report on tea", "--thread", "cli-1", "--server", served.url)
    assert waiting.returncode == 3, waiting.stderr
    assert listed(local_env, served.url, "cli-1") == ("team", "waiting", "Report on tea")
    assert (
        f"teamgraph resume --thread cli-1 --server {served.url} --answer approve" in waiting.stderr
    )
    for code in (3, 0):
        answered = cli(
            local_env, "resume", "--thread", "cli-1", "--answer", "approve",
            "--server", served.url, "--json",
        )  # fmt: skip
        assert answered.returncode == code, answered.stderr
    assert json.loads(answered.stdout)["result"]
    assert listed(local_env, served.url, "cli-1") == ("team", "done", "Report on tea")


def listed(environment, url, thread):
    """The team, status and request ``threads --server`` lists for ``thread``."""
    shown = cli(environment, "threads", "--server", url, "--json")
    assert shown.returncode == 0, shown.stderr
    [row] = [row for row in json.loads(shown.stdout) if row["thread"] == thread]
    return row["team"], row["status"], row["request"]


def test_a_worker_killed_mid_run_leaves_it_to_the_other_with_nothing_finished_redone(served):
    fake = served.fake
    fake.reset_counts()
    fake.latency_s = 1.0
    try:
        run = start(
            served.environment, "run", "Report on tea", "--thread", "kill-1", "--auto-approve",
            "--server", served.url, "--json",
        )  # fmt: skip
        wait_for(lambda: any("Sub-task" in json.dumps(r) for r in fake.requests), timeout=300)
        with psycopg.connect(served.database) as connection:
            holder = connection.execute(
                "SELECT claimed_by FROM runs WHERE thread_id = 'kill-1' AND status = 'running'"
            ).fetchone()[0]
        pid = int(holder.split("-worker-")[0].rsplit("-", 1)[1])
        os.kill(pid, signal.SIGKILL)
        fake.latency_s = 0.05
        assert run.wait(timeout=300) == 0, run.stderr.read()
    finally:
        fake.latency_s = 0.05
    report = json.loads(run.stdout.read())
    assert report["result"] and report["route"] == ["research", "writer"]
    # made before the kill, and not again by the worker that took the run up
    assert (fake.schema_requests("TeamRoute"), fake.schema_requests("AnswerType")) == (1, 1)
    assert fake.schema_requests("Plan") == 1 and fake.schema_requests("PiecePlan") == 1
    assert f"(pid {pid}) ended (signal 9); 1 of 2 still serve" in served.said()
    assert [r["status"] for r in served.client.runs.list("kill-1")] == ["success"]


def test_eval_on_the_server_works_on_questions_at_once(served, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        "".join(
            json.dumps({"question": f"Why do bees matter, {n}?", "answer": "pollination"}) + "\n"
            for n in range(4)
        )
    )
    with psycopg.connect(served.database) as connection:
        before = connection.execute("SELECT now()").fetchone()[0]
    done = cli(
        served.environment, "eval", "--team", "writer", "--dataset", str(questions),
        "--model", "openai:fake", "--concurrency", "2", "--out", str(tmp_path / "report"),
        "--json", "--server", served.url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["questions"] == 4
    rows = json.loads((tmp_path / "report" / "eval.json").read_text())["rows"]
    assert [row["team"]["error"] for row in rows] == [""] * 4
    assert all(row["team"]["answer"] and row["team"]["calls"] == WRITER_CALLS for row in rows)
    with psycopg.connect(served.database) as connection:
        spans = connection.execute(
            "SELECT created_at, updated_at, status FROM runs WHERE created_at > %s ORDER BY 1",
            (before,),
        ).fetchall()
    assert [status for *_, status in spans] == ["success"] * 4, "one run per question"
    overlapping = any(
        later[0] < earlier[1] for n, earlier in enumerate(spans) for later in spans[n + 1 :]
    )
    assert overlapping, "two questions were on the server at once"


def test_nothing_serve_printed_holds_the_database_password(served):
    said = served.said()
    assert "threads in postgresql://teamgraph:***@127.0.0.1" in said
    assert "Worker picked up run" in said, "the workers' own log lines were relayed"
    assert PG_PASSWORD not in said
