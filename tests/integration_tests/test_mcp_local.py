"""MCP tools on loopback: a streamable-HTTP server, and an MCP tool in a run on the embedded model."""

import json
import subprocess
import sys
import time

import httpx
import pytest

from graphs import react
from graphs.cli import main
from tests.integration_tests.test_studio_server import free_port
from tests.mcp_server import PASSWORD, notes_server, servers_file, write_server
from tools.tool_runner import run_tool_calls
from tools.toolbox import toolbox_for


@pytest.fixture
def http_server(tmp_path):
    script = write_server(tmp_path)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(script), "http", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)
    log.close()


def test_a_streamable_http_server_on_loopback_works_offline_too(http_server, tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    path = servers_file(tmp_path, {"notes": {"url": http_server, "retrieval": True}})
    box = toolbox_for(["calculator"], str(path))
    assert [t.name for t in box.tools] == ["calculator", "lookup", "notes.calculator"]
    assert box.notes == []
    call = {"name": "lookup", "args": {"query": "wifi"}, "id": "h"}
    messages, sources = run_tool_calls([call], box.tools, [])
    assert PASSWORD in messages[0].content
    assert sources[0]["origin"] == "mcp notes"


def test_a_server_that_is_not_listening_is_left_out_with_a_note(tmp_path):
    path = servers_file(tmp_path, {"down": {"url": f"http://127.0.0.1:{free_port()}/mcp"}})
    box = toolbox_for(["calculator"], str(path), mcp_timeout_s=10)
    assert [t.name for t in box.tools] == ["calculator"]
    assert box.notes[0].startswith("MCP server 'down' failed:")


def test_the_embedded_model_calls_an_mcp_tool(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    script = write_server(tmp_path)
    path = servers_file(tmp_path, {"notes": notes_server(script, retrieval=True)})
    box = toolbox_for([], str(path))
    state = react.build_graph(tools=box.tools, max_steps=2).invoke(
        {"question": "What is the password of the office Wi-Fi?"}
    )
    first = state["messages"][0]
    assert [c["name"] for c in first.tool_calls][:1] == ["lookup"]
    assert PASSWORD in state["messages"][1].content
    assert state["sources"][0]["origin"] == "mcp notes"
    assert state["stop_reason"] in {"answered", "max_steps", "repeated_action"}
    numbered = {n: s for n, s in enumerate(state["sources"], start=1)}
    assert all(numbered[c["number"]]["title"] == c["title"] for c in state["citations"])


def test_doctor_finds_a_free_port_and_the_installed_parts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["doctor", "--json"]) == 0
    found = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert found["port"]["status"] == "ok"
    assert found["embedded model smollm2-135m"]["status"] == "ok"
    assert found["embedded model qwen2.5-coder-1.5b"]["status"] == "ok"
    assert found["data fanoutqa"]["status"] == "ok"
