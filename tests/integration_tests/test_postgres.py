"""Threads in a real PostgreSQL server on loopback: durable, shared, locked, worded.

Each test gets a database of its own on one server started for the module, and drives
the real CLI in subprocesses against the scripted OpenAI-compatible server.
"""

import json
import os
import signal
import subprocess
import time
import uuid

import psycopg
import pytest

from tests.fake_openai_server import FakeOpenAIServer
from tests.integration_tests.cli_runs import CLI, cli, server_env, start, thread_row, wait_for
from tests.integration_tests.deploying import need
from tests.services import PG_PASSWORD, PostgresServer

RUN = ["run", "Report on tea", "--model", "openai:fake", "--auto-approve"]


@pytest.fixture(scope="module")
def pg():
    need("postgres")
    with PostgresServer() as server:
        yield server


@pytest.fixture
def database(pg):
    name = f"t{uuid.uuid4().hex[:10]}"
    pg.create_database(name)
    return pg.url(name)


@pytest.fixture
def env(tmp_path, database):
    with FakeOpenAIServer(latency_s=0.2) as server:
        environment = {
            **server_env(server, tmp_path),
            "TEAMGRAPH_MODEL": "openai:fake",
            "TEAMGRAPH_CHECKPOINT_URL": database,
        }
        yield server, environment


def test_a_run_killed_with_kill_9_is_finished_by_another_process_with_nothing_redone(env, tmp_path):
    server, environment = env
    server.latency_s = 1.0  # the writer's plan is in flight when the run is killed
    run = start(environment, *RUN, "--thread", "K1", "--json")
    wait_for(lambda: server.schema_requests("PiecePlan") >= 1, timeout=300)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    server.latency_s = 0.05
    resumed = cli(environment, "resume", "--thread", "K1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["result"] and report["route"] == ["research", "writer"]
    # finished before the kill, so made once: the route, the decision, the plan
    assert (
        server.schema_requests("TeamRoute"),
        server.schema_requests("AnswerType"),
        server.schema_requests("Plan"),
    ) == (
        1,
        1,
        1,
    )
    assert server.schema_requests("PiecePlan") == 2  # the step cut short is made again
    assert sum(row["calls"] for row in report["usage"]) == len(server.requests)
    assert not (tmp_path / "checkpoints.sqlite").exists()


WRITE_TWO_AT_ONCE = """
import sys, threading
from graphs.threads.storage import open_checkpointer, open_store
from graphs.writer import build_graph
graph = build_graph(None, checkpointer=open_checkpointer(), store=open_store())
failed = []
def one(thread):
    try:
        graph.invoke({"topic": thread}, {"configurable": {"thread_id": thread}}, durability="sync")
    except Exception as error:
        failed.append(repr(error))
runs = [threading.Thread(target=one, args=(thread,)) for thread in sys.argv[1:]]
for run in runs:
    run.start()
for run in runs:
    run.join()
sys.exit(f"failed: {failed}" if failed else 0)
"""


def test_eight_runs_from_four_processes_at_once_keep_every_checkpoint_and_call(env, monkeypatch):
    server, environment = env
    threads = [f"P{n}" for n in range(8)]
    processes = [
        subprocess.Popen(
            [CLI[0], "-c", WRITE_TWO_AT_ONCE, *threads[i : i + 2]],
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(0, 8, 2)
    ]
    for process in processes:
        assert process.wait(timeout=600) == 0, process.stderr.read()
    assert len(server.requests) == 8 * 4
    monkeypatch.setenv("TEAMGRAPH_CHECKPOINT_URL", environment["TEAMGRAPH_CHECKPOINT_URL"])
    from agents.llm.ledger import StoreCallLog
    from graphs.threads.storage import open_checkpointer, open_store

    saver, store = open_checkpointer(), open_store()
    kept = {}
    for thread in threads:
        config = {"configurable": {"thread_id": thread}}
        latest = saver.get_tuple(config)
        assert latest.checkpoint["channel_values"]["stop_reason"] == "approved", thread
        kept[thread] = len(list(saver.list(config)))
        run = latest.checkpoint["channel_values"]["run"]["id"]
        assert len(StoreCallLog(store).load(run)) == 4, thread
    assert len(set(kept.values())) == 1 and kept["P0"] >= 5, kept


def test_one_process_anywhere_runs_a_thread_and_a_dead_holder_releases_it(env):
    server, environment = env
    server.latency_s = 1.0
    first = start(environment, *RUN, "--thread", "L1", "--json")
    wait_for(lambda: server.schema_requests("Plan") >= 1, timeout=300)
    assert thread_row(environment, "L1")["status"] == "running"
    refused = cli(environment, "resume", "--thread", "L1", timeout=120)
    assert refused.returncode == 1
    assert f"being run by another process (teamgraph pid {first.pid} on " in refused.stderr
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    server.latency_s = 0.05
    resumed = cli(environment, "resume", "--thread", "L1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert server.schema_requests("TeamRoute") == 1
    assert thread_row(environment, "L1")["status"] == "done"


def test_the_database_going_away_mid_run_is_one_clear_line_and_resume_finishes(env, pg):
    server, environment = env
    server.latency_s = 0.5
    run = start(environment, *RUN, "--thread", "G1")
    # the plan is saved once its sub-tasks are asked for
    wait_for(lambda: any("Sub-task" in json.dumps(r) for r in server.requests), timeout=300)
    pg.stop("immediate")
    stopped = time.monotonic()
    try:
        assert run.wait(timeout=180) == 1
        # one wait for a connection (15 s), not one per step and ledger write in flight
        assert time.monotonic() - stopped < 45
    finally:
        pg.start()
    said = run.stderr.read()
    assert "stopped answering during the run" in said and "Traceback" not in said
    assert "teamgraph resume --thread G1" in said
    assert PG_PASSWORD not in said and "teamgraph:***@" in said
    server.latency_s = 0.05
    resumed = cli(environment, "resume", "--thread", "G1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["result"]
    assert (server.schema_requests("TeamRoute"), server.schema_requests("Plan")) == (1, 1)
    assert thread_row(environment, "G1")["status"] == "done"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (lambda pg: pg.url(password="not-the-password"), "refused the user or password"),
        (lambda pg: pg.url("no_such_db"), "There is no database 'no_such_db'"),
        (lambda pg: f"postgresql://teamgraph:{PG_PASSWORD}@127.0.0.1:1/x", "Cannot reach"),
        (lambda pg: f"mysql://teamgraph:{PG_PASSWORD}@127.0.0.1/x", "must be a PostgreSQL URL"),
    ],
)
def test_a_wrong_database_setting_is_one_line_without_the_password(pg, tmp_path, url, says):
    environment = {
        **os.environ,
        "TEAMGRAPH_HOME": str(tmp_path),
        "TEAMGRAPH_CHECKPOINT_URL": url(pg),
    }
    listed = cli(environment, "threads")
    assert listed.returncode == 1
    assert says in listed.stderr and "Traceback" not in listed.stderr
    assert PG_PASSWORD not in listed.stderr and "not-the-password" not in listed.stderr
    assert len(listed.stderr.strip().splitlines()) <= 3  # one line, wrapped by the terminal


def test_an_older_schema_is_brought_up_to_date_and_a_newer_one_refused(env, database):
    from langgraph.checkpoint.postgres import PostgresSaver

    server, environment = env
    with psycopg.connect(database, autocommit=True) as connection:
        for version, migration in enumerate(PostgresSaver.MIGRATIONS[:3]):
            connection.execute(migration)
            connection.execute("INSERT INTO checkpoint_migrations (v) VALUES (%s)", (version,))
    written = cli(environment, "write", "tea", "--thread", "S1", "--model", "openai:fake", "-q")
    assert written.returncode == 0, written.stderr
    with psycopg.connect(database, autocommit=True) as connection:
        top = connection.execute("SELECT max(v) FROM checkpoint_migrations").fetchone()[0]
        assert top == len(PostgresSaver.MIGRATIONS) - 1
        connection.execute("INSERT INTO checkpoint_migrations (v) VALUES (999)")
    refused = cli(environment, "threads")
    assert refused.returncode == 1
    assert "written by a newer teamgraph (checkpoint_migrations version 999" in refused.stderr


def test_migrate_copies_sqlite_threads_that_then_resume_in_postgres(env):
    server, environment = env
    local = {k: v for k, v in environment.items() if k != "TEAMGRAPH_CHECKPOINT_URL"}
    waiting = cli(
        local, "run", "Report on tea", "--thread", "M1", "--model", "openai:fake", "--json"
    )
    assert waiting.returncode == 3, waiting.stderr
    before_m2 = len(server.requests)
    assert cli(local, "write", "tea", "--thread", "M2", "--model", "openai:fake").returncode == 0
    m2_calls = len(server.requests) - before_m2
    copied = cli(local, "migrate", "--to", environment["TEAMGRAPH_CHECKPOINT_URL"], "--json")
    assert copied.returncode == 0, copied.stderr
    report = json.loads(copied.stdout)
    assert sorted(report["threads"]) == ["M1", "M2"] and PG_PASSWORD not in copied.stdout
    rows = {row["thread"]: row for row in json.loads(cli(environment, "threads", "--json").stdout)}
    assert (rows["M1"]["status"], rows["M2"]["status"]) == ("waiting", "done")
    calls = len(server.requests)
    answered = cli(environment, "resume", "--thread", "M1", "--answer", "approve", "--json")
    assert answered.returncode == 3, answered.stderr  # the draft now waits, in PostgreSQL
    usage = json.loads(
        cli(environment, "resume", "--thread", "M1", "--answer", "approve", "--json").stdout
    )["usage"]
    # the ledger copied with the thread: M1's usage counts its calls before and after the copy
    assert len(server.requests) > calls
    assert sum(row["calls"] for row in usage) == len(server.requests) - m2_calls
    again = json.loads(
        cli(local, "migrate", "--to", environment["TEAMGRAPH_CHECKPOINT_URL"], "--json").stdout
    )
    assert again["threads"] == [] and sorted(again["already_there"]) == ["M1", "M2"]
