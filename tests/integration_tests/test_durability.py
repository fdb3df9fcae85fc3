"""Nothing lost, nothing done twice: failed runs resume, one process per thread, limits kept.

Each test drives the real CLI in subprocesses against a scripted OpenAI-compatible server.
"""

import json
import signal
import time

import pytest

from tests.fake_openai_server import FakeOpenAIServer
from tests.integration_tests.cli_runs import cli, server_env, start, thread_row, wait_for

WRITER_PROMPT = "You are a skilled Writer"


@pytest.fixture
def env(tmp_path):
    with FakeOpenAIServer(latency_s=0.2) as server:
        yield server, server_env(server, tmp_path)


def test_a_failed_run_is_shown_as_failed_and_resumes_from_the_step_that_failed(env):
    server, environment = env
    server.down_when = lambda prompt: WRITER_PROMPT in prompt
    failed = cli(environment, "write", "tea", "--thread", "F1", "--model", "openai:fake", "-q")
    assert failed.returncode == 1 and "writer model failed" in failed.stderr
    assert "Traceback" not in failed.stderr
    row = thread_row(environment, "F1")
    assert row["status"] == "failed" and "writer model failed" in row["error"]
    server.down_when = None
    resumed = cli(environment, "resume", "--thread", "F1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["text"] and report["stop_reason"] == "approved"
    assert server.schema_requests("PiecePlan") == 1
    assert thread_row(environment, "F1")["status"] == "done"
    made = len(server.requests)
    assert sum(u["calls"] for u in report["usage"].values()) == made


def test_one_process_runs_a_thread_at_a_time_and_a_dead_holder_releases_it(env):
    server, environment = env
    server.latency_s = 1.0  # the first run lasts long enough for the others to meet it
    request = ["run", "Report on tea", "--thread", "L1", "--model", "openai:fake"]
    first = start(environment, *request, "--auto-approve", "--json")
    wait_for(lambda: server.schema_requests("Plan") >= 1)
    assert thread_row(environment, "L1")["status"] == "running"
    started = time.monotonic()
    second = cli(environment, "resume", "--thread", "L1", timeout=60)
    assert time.monotonic() - started < 20
    assert second.returncode == 1 and "being run by another process" in second.stderr
    assert first.wait(timeout=300) == 0
    assert server.schema_requests("TeamRoute") == 1 and server.schema_requests("Plan") == 1
    third = start(environment, *request, "--auto-approve", "--json")
    wait_for(lambda: server.schema_requests("TeamRoute") >= 2)
    third.send_signal(signal.SIGKILL)
    third.wait(timeout=30)
    resumed = cli(environment, "resume", "--thread", "L1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["result"]


def test_limits_and_spending_belong_to_the_thread_across_kill_and_resume(env):
    server, environment = env
    run = start(
        environment,
        "run",
        "Report on tea",
        "--thread",
        "B1",
        "--model",
        "openai:fake",
        "--auto-approve",
        "--max-calls",
        "20",
        "--json",
    )
    # killed while the one call in flight (the combining task's answer) is being answered
    combining = "Sub-task: Combine hosts and winners"
    wait_for(lambda: any(combining in json.dumps(r) for r in server.requests))
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    resumed = cli(environment, "resume", "--thread", "B1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["stopped_by"] == "max_calls"
    assert len(server.requests) == 20 == sum(row["calls"] for row in report["usage"])


def test_ctrl_c_stops_a_run_within_two_seconds_and_resume_finishes_it(env):
    server, environment = env
    server.latency_s = 0.5
    run = start(
        environment,
        "run",
        "Report on tea",
        "--thread",
        "C1",
        "--model",
        "openai:fake",
        "--auto-approve",
        "--json",
    )
    wait_for(lambda: server.schema_requests("Plan") >= 1)
    wait_for(lambda: sum("Sub-task" in json.dumps(r) for r in server.requests) >= 2)
    sent = time.monotonic()
    run.send_signal(signal.SIGINT)
    code = run.wait(timeout=30)
    stopped_in = time.monotonic() - sent
    assert code == 130 and stopped_in < 2, stopped_in
    assert "teamgraph resume --thread C1" in run.stderr.read()
    resumed = cli(environment, "resume", "--thread", "C1", "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["result"]
    assert server.schema_requests("TeamRoute") == 1 and server.schema_requests("Plan") == 1


def test_ctrl_c_without_a_thread_says_nothing_was_kept(env):
    server, environment = env
    server.latency_s = 1.0
    write = start(environment, "write", "tea", "--model", "openai:fake")
    wait_for(lambda: len(server.requests) >= 1)
    sent = time.monotonic()
    write.send_signal(signal.SIGINT)
    assert write.wait(timeout=30) == 130 and time.monotonic() - sent < 2
    assert "nothing was kept; run it with --thread NAME" in write.stderr.read()


SLOW_TASK = "Slowly survey every World Cup final"
CHAIN = [
    {"id": 1, "query": SLOW_TASK, "dependency": []},
    {"id": 2, "query": "Which country hosted the 2002 World Cup?", "dependency": []},
    {"id": 3, "query": "Which team won the Cup that country hosted?", "dependency": [2]},
    {"id": 4, "query": "Who captained that team in the final?", "dependency": [3]},
    {"id": 5, "query": "Where was that captain born?", "dependency": [4]},
]


def subtask_requests(server, query):
    return sum(f"Sub-task: {query}" in json.dumps(r) for r in server.requests)


def test_research_killed_mid_round_resumes_without_redoing_a_finished_task(env):
    server, environment = env
    server.plan = CHAIN
    slow = {"on": True}
    in_flight_at_kill = (SLOW_TASK, CHAIN[4]["query"])
    server.latency_for = lambda prompt: (
        60.0 if slow["on"] and any(f"Sub-task: {q}" in prompt for q in in_flight_at_kill) else None
    )
    ask = ["ask", "Who captained the 2002 winner?", "--thread", "K9", "--model", "openai:fake"]
    run = start(environment, *ask, "--json")
    # tasks 2, 3 and 4 ran one after another beside the slow task 1; task 5 is in flight
    wait_for(lambda: subtask_requests(server, CHAIN[4]["query"]) >= 1)
    time.sleep(1.0)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    asked = {t["id"]: subtask_requests(server, t["query"]) for t in CHAIN}
    assert asked[1] == asked[5] == 1, "tasks 1 and 5 were in flight when the run was killed"
    slow["on"] = False
    resumed = cli(environment, "resume", "--thread", "K9", "--json")
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    again = {t["id"]: subtask_requests(server, t["query"]) - asked[t["id"]] for t in CHAIN}
    assert again[2] == again[3] == again[4] == 0, again
    assert again[1] >= 1 and again[5] >= 1, again
    assert {t["status"] for t in report["tasks"]} == {"done"}
    assert len(server.requests) == sum(u["calls"] for u in report["usage"].values())
