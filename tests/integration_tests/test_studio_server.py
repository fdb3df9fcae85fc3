"""LangGraph Studio's server (``langgraph dev``) serves every team offline, driven by the SDK.

Its teams take their models from the project file in the folder it runs in, as a user's
Studio does: building a team finds and reads that file, which the server's event loop
must not wait on.

The server logs every model request; its output goes to a file, since a pipe nobody
reads fills up (64 KiB) and blocks the server's next log line, and with it the run.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from langgraph_sdk import get_sync_client

from graphs.registry import langgraph_config
from graphs.serving.client import THREAD_NAMES
from tests.fake_openai_server import FakeOpenAIServer
from tests.integration_tests.cli_runs import cli, server_env
from tests.services import http_ok, wait_until
from tools.support_db.setup import init_database

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("studio") / "server.log"
    home = tmp_path_factory.mktemp("home")
    init_database(home / "support.sqlite", demo=True)
    (home / "teamgraph.toml").write_text('[models]\ndefault = "openai:fake"\n', encoding="utf-8")
    graphs = {
        name: str(ROOT / target.removeprefix("./"))
        for name, target in langgraph_config()["graphs"].items()
    }
    config = home / "langgraph.json"
    config.write_text(json.dumps({"dependencies": [str(ROOT)], "graphs": graphs}), encoding="utf-8")
    with FakeOpenAIServer(latency_s=0.01) as fake, log_path.open("w") as log:
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TEAMGRAPH_")},
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "fake",
            "TEAMGRAPH_OFFLINE": "1",
            "LANGSMITH_TRACING": "false",
            "TEAMGRAPH_HOME": str(home),
            "LANGGRAPH_CLI_NO_ANALYTICS": "1",
            "LANGGRAPH_NO_VERSION_CHECK": "1",
        }
        langgraph = Path(sys.executable).parent / "langgraph"
        server = subprocess.Popen(
            [
                str(langgraph),
                "dev",
                "--no-browser",
                "--no-reload",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--config",
                str(config),
            ],
            cwd=home,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(
                lambda: http_ok(f"{url}/ok", timeout=1),
                "langgraph dev",
                server,
                log_path,
                START_TIMEOUT_S,
            )
            yield get_sync_client(url=url), fake
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_every_team_is_an_assistant(studio):
    client, _ = studio
    graphs = {a["graph_id"] for a in client.assistants.search()}
    assert (
        graphs
        == set(langgraph_config()["graphs"])
        >= {"writer", "react", "research", "team", "support"}
    )


def test_a_team_streams_updates_and_values(studio):
    client, _ = studio
    thread = client.threads.create()
    events = list(
        client.runs.stream(
            thread["thread_id"],
            "research",
            input={"question": "Hosts and winners of 2002 and 2006?"},
            stream_mode=["updates", "values"],
        )
    )
    kinds = {e.event for e in events}
    assert {"updates", "values"} <= kinds, [e.data for e in events if e.event == "error"]
    nodes = [node for e in events if e.event == "updates" for node in e.data]
    assert (
        nodes[:2] == ["decide", "plan"] and nodes.count("execute") == 5 and nodes[-1] == "finalize"
    )
    final = [e.data for e in events if e.event == "values"][-1]
    assert final["stop_reason"] == "sufficient" and final["answer"]


def test_an_interrupt_is_resumed_with_a_command(studio):
    client, _ = studio
    thread = client.threads.create()
    list(
        client.runs.stream(
            thread["thread_id"],
            "writer",
            input={"topic": "tea"},
            context={"approve_draft": True},
            stream_mode="updates",
        )
    )
    state = client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["approve_draft"]
    [pending] = state["interrupts"]
    assert pending["value"]["kind"] == "draft_approval"
    final = list(
        client.runs.stream(
            thread["thread_id"],
            "writer",
            command={"resume": {"action": "approve"}},
            context={"approve_draft": True},
            stream_mode="values",
        )
    )[-1].data
    assert final["stop_reason"] == "human_approved"


RUNS = [
    ("writer", {"topic": "tea"}, "final_text", {"approved"}),
    ("react", {"question": "Who won the 2006 World Cup?"}, "answer", {"answered"}),
    ("research", {"question": "Hosts and winners of 2002 and 2006?"}, "answer", {"sufficient"}),
    ("team", {"request": "A short report on the 2002 and 2006 World Cups."}, "final", {None}),
]
HANG_GUARD_S = 120


def run_to_the_end(client, graph, payload):
    """Stream one run on a new thread; fail (not hang) if it never ends."""
    thread = client.threads.create()
    events: list = []
    streaming = threading.Thread(
        target=lambda: events.extend(
            client.runs.stream(thread["thread_id"], graph, input=payload, stream_mode="values")
        ),
        daemon=True,
    )
    streaming.start()
    streaming.join(HANG_GUARD_S)
    assert not streaming.is_alive(), f"the {graph} run did not end within {HANG_GUARD_S} s"
    assert not [e for e in events if e.event == "error"], events[-1].data
    return events[-1].data


def test_every_team_runs_one_after_another_on_one_server(studio):
    client, fake = studio
    for _round in range(2):
        for graph, payload, result_key, stop_reasons in RUNS:
            before = fake.calls
            final = run_to_the_end(client, graph, payload)
            assert final[result_key], graph
            assert final.get("stop_reason") in stop_reasons, graph
            assert fake.calls > before, graph
    routes = [
        r
        for r in fake.requests
        if r.get("response_format", {}).get("json_schema", {}).get("name") == "TeamRoute"
    ]
    assert len(routes) == 2


def test_the_support_desk_runs_with_the_customer_in_its_context(studio):
    client, _ = studio
    thread = client.threads.create()
    final = list(
        client.runs.stream(
            thread["thread_id"],
            "support",
            input={"ticket": "I was charged twice for my fiber this month."},
            context={"customer_id": "C1001", "feedback": 4},
            stream_mode="values",
        )
    )[-1].data
    assert final["stop_reason"] == "replied" and final["customer_id"] == "C1001"
    assert [(a["action"], a["status"]) for a in final["actions"]] == [("refund", "done")]
    assert set(final["findings"]) == {"account", "diagnosis"}


def test_the_cli_runs_and_resumes_a_named_thread_on_it_showing_progress(studio, tmp_path):
    """The server takes only UUIDs as thread ids, and keeps one of several stream modes a
    join names: the CLI's named thread and its live view work on it all the same."""
    client, fake = studio
    url = str(client.http.client.base_url).rstrip("/")
    environment = {**server_env(fake, tmp_path), "TEAMGRAPH_MODEL": "openai:fake"}
    asked = ("--thread", "tea-cli", "--server", url, "--json")
    ran = cli(environment, "write", "why tea matters", "--max-revisions", "1", *asked)
    assert ran.returncode == 0, ran.stderr
    assert "Writer wrote" in ran.stderr and "Critic " in ran.stderr
    resumed = cli(environment, "resume", *asked)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["text"] == json.loads(ran.stdout)["text"]
    [run] = client.runs.list(str(uuid.uuid5(THREAD_NAMES, "tea-cli")))
    assert run["status"] == "success" and run["metadata"]["teamgraph_thread"] == "tea-cli"
    other = cli(environment, "ask", "Who won in 2006?", "--team", "react", *asked)
    assert other.returncode == 1 and "belongs to the writer team" in other.stderr
    assert len(client.runs.list(str(uuid.uuid5(THREAD_NAMES, "tea-cli")))) == 1
    listed = cli(environment, "threads", "--server", url, "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = [row for row in json.loads(listed.stdout) if row["thread"] == "tea-cli"]
    assert (row["team"], row["status"], row["request"]) == ("writer", "done", "why tea matters")


@pytest.mark.parametrize(
    ("graph", "payload", "said"),
    [
        ("writer", {"topic": "  "}, "The topic is empty: give the subject of the piece to write."),
        ("compose", {"image": "/no/such.png"}, "/no/such.png does not exist: give the path"),
    ],
)
def test_bad_input_reaches_the_client_in_our_words_not_as_an_internal_error(
    studio, graph, payload, said
):
    client, fake = studio
    before = fake.calls
    thread = client.threads.create()
    events = list(client.runs.stream(thread["thread_id"], graph, input=payload))
    errors = [e.data for e in events if e.event == "error"]
    assert errors and errors[-1]["error"] == "InputError", events
    assert errors[-1]["message"].startswith(said)
    assert fake.calls == before
