import json
import signal
import subprocess

import pytest

from tests.fake_openai_server import FakeOpenAIServer
from tests.integration_tests.cli_runs import CLI, server_env, wait_for


@pytest.fixture
def env(tmp_path):
    with FakeOpenAIServer(latency_s=0.3) as server:
        yield server, server_env(server, tmp_path)


def answers(server, fragment):
    return sum(
        1
        for r in server.requests
        if fragment in json.dumps(r) and "Answer the sub-task" in json.dumps(r)
    )


def test_killed_run_resumes_without_redoing_finished_tasks(env):
    server, environment = env
    request = [
        "run",
        "Write a short report on the 2002 and 2006 World Cups",
        "--thread",
        "k9",
        "--model",
        "openai:fake",
        "--auto-approve",
        "--json",
    ]
    process = subprocess.Popen(
        [*CLI, *request], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    wait_for(lambda: any("Combine hosts and winners" in json.dumps(r) for r in server.requests))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert answers(server, "hosted the 2002") == 1
    routed = sum(1 for r in server.requests if "TeamRoute" in json.dumps(r))
    resumed = subprocess.run(
        [*CLI, "resume", "--thread", "k9", "--json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["route"] == ["research", "writer"] and result["result"]
    for task in ("hosted the 2002", "hosted the 2006", "won the 2002", "won the 2006"):
        assert answers(server, task) == 1, task
    assert sum(1 for r in server.requests if "TeamRoute" in json.dumps(r)) == routed == 1
    assert sum(1 for r in server.requests if '"name": "Plan"' in json.dumps(r)) == 1
    assert any("Sub-task: Combine hosts and winners" in json.dumps(r) for r in server.requests)
    roles = {row["role"] for row in result["usage"]}
    assert {"manager", "research/planner", "research/executor", "writer/critic"} <= roles
    assert {row["model"] for row in result["usage"]} == {"openai:fake"}
    assert sum(row["calls"] for row in result["usage"]) == len(server.requests)


def test_threads_lists_and_shows_history(env):
    server, environment = env
    done = subprocess.run(
        [
            *CLI,
            "run",
            "Report on tea",
            "--thread",
            "tea",
            "--model",
            "openai:fake",
            "--auto-approve",
            "--json",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [*CLI, "threads"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert "tea" in listed.stdout and "team" in listed.stdout
    history = subprocess.run(
        [*CLI, "threads", "tea"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert history.returncode == 0 and "team/research · plan" in history.stdout
    again = subprocess.run(
        [*CLI, "resume", "--thread", "tea", "--json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0 and "already finished" not in again.stdout
    unknown = subprocess.run(
        [*CLI, "resume", "--thread", "nope"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown.returncode == 1 and "No thread 'nope'" in unknown.stderr


def test_approvals_are_answered_from_another_process(env):
    server, environment = env

    def cli(*args, code=0):
        done = subprocess.run(
            [*CLI, *args], env=environment, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == code, done.stderr
        return json.loads(done.stdout)

    waiting = 3
    first = cli(
        "run",
        "Write a short report on two World Cups",
        "--thread",
        "ok",
        "--model",
        "openai:fake",
        "--json",
        code=waiting,
    )
    assert first["status"] == "waiting_for_approval" and first["pending"]["kind"] == "plan_approval"
    assert not any("Answer the sub-task" in json.dumps(r) for r in server.requests)
    edited = json.dumps(
        {
            "action": "edit",
            "tasks": [{"id": 1, "query": "Who won the 2002 World Cup?", "dependency": []}],
        }
    )
    second = cli("resume", "--thread", "ok", "--answer", edited, "--json", code=waiting)
    assert second["pending"]["kind"] == "draft_approval" and second["pending"]["text"]
    assert answers(server, "Who won the 2002 World Cup?") == 1
    assert answers(server, "hosted the 2006") == 0
    third = cli("resume", "--thread", "ok", "--answer", "approve", "--json")
    assert third["result"] == second["pending"]["text"]
    assert third["route"] == ["research", "writer"]
    idle = subprocess.run(
        [*CLI, "resume", "--thread", "ok", "--answer", "approve"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert idle.returncode == 1 and "not waiting for an approval" in idle.stderr


def test_a_budget_ends_the_run_with_the_best_result_and_names_the_limit(env):
    server, environment = env
    done = subprocess.run(
        [
            *CLI,
            "run",
            "Report on tea",
            "--thread",
            "b",
            "--model",
            "openai:fake",
            "--auto-approve",
            "--max-calls",
            "8",
            "--json",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stopped_by"] == "max_calls"
    assert len(server.requests) == 8 == sum(row["calls"] for row in report["usage"])
    zero = subprocess.run(
        [*CLI, "run", "x", "--max-calls", "0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert zero.returncode == 1 and "--max-calls must be 1 or more" in zero.stderr
