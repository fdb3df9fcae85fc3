import json
import os
import subprocess
import sys

import pytest

from graphs.research import build_graph
from tests.embedded import SMALL_MODEL
from tests.fake_openai_server import FakeOpenAIServer
from tests.fakes import make_instant_search
from tools.wikipedia_search import WikipediaLookup, make_wikipedia_tool

ROLES = ("decider", "planner", "executor", "finalizer")


@pytest.fixture
def fake_openai(monkeypatch):
    with FakeOpenAIServer(latency_s=0.1) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "fake")
        yield server


def test_research_over_an_openai_compatible_server(fake_openai):
    graph = build_graph(
        dict.fromkeys(ROLES, "openai:fake-model"),
        tools=[make_instant_search()],
        tool_policy="model",
    )
    state = graph.invoke({"question": "Name the host and winner of the 2002 and 2006 World Cups."})
    assert [t["id"] for t in state["plan"]] == [1, 2, 3, 4, 5]
    assert {r["status"] for r in state["tasks"].values()} == {"done"}
    assert fake_openai.peak_in_flight == 4
    formats = [
        r.get("response_format", {}).get("json_schema", {}).get("name")
        for r in fake_openai.requests
    ]
    assert {"AnswerType", "Plan", "ToolChoice", "SearchQueries", "Reflection"} <= set(formats)
    assert all(
        r["response_format"]["json_schema"]["strict"]
        for r in fake_openai.requests
        if r.get("response_format")
    )
    assert state["citations"] and state["citations"][0]["url"].startswith("https://example.org/")
    assert state["tasks"]["5"]["context_chars"] <= 1500
    assert state["tasks"]["5"]["tool"] == "internal_knowledge"
    assert state["tasks"]["5"]["usage"]["calls"] == 3
    assert state["usage"]["executor"]["calls"] == 4 * 3 + 3
    assert sum("Summarise these results" in json.dumps(r) for r in fake_openai.requests) == 1


def test_research_on_the_embedded_model(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    wikipedia = make_wikipedia_tool(WikipediaLookup(online=None))
    graph = build_graph(tools=[wikipedia], answer_type="B", max_tasks=3, max_replans=0)
    state = graph.invoke({"question": "Who discovered penicillin and where was he born?"})
    assert 1 <= len(state["plan"]) <= 3
    assert all(r["status"] in ("done", "failed") for r in state["tasks"].values())
    assert any(r["status"] == "done" for r in state["tasks"].values())
    assert state["answer"].strip()
    assert state["sources"] and all(s["origin"] == "offline corpus" for s in state["sources"])
    assert state["stop_reason"] in {"sufficient", "max_replans", "no_new_tasks"}
    assert state["models"] == dict.fromkeys(ROLES, SMALL_MODEL)


def test_cli_research_json_offline(tmp_path):
    env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path), "TEAMGRAPH_OFFLINE": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from graphs.cli import main; sys.exit(main())",
            "ask",
            "Who painted the Mona Lisa?",
            "--plan",
            "--max-tasks",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["team"] == "research" and report["answer_type"]["type"] == "B"
    assert report["plan"] and report["answer"].strip()
    assert set(report["usage"]) >= {"planner", "executor", "finalizer"}
