"""A real MCP server over stdio (no network socket): its tools in the teams, and its failures."""

import json
import time

import psutil
import pytest
from langchain_core.messages import AIMessage

import graphs.react
from graphs import react, research
from graphs.cli import main
from tests.fakes import RoutedChatModel, scripted, swap_build
from tests.mcp_server import PASSWORD, notes_server, servers_file, write_server
from tests.unit_tests.research_script import ANSWER, DECIDER, FINAL, decision
from tests.unit_tests.test_react_graph import NativeToolModel, act
from tools.kernel.errors import InputError
from tools.mcp_config import McpConfigError, read_servers_file
from tools.tool_runner import run_tool_calls
from tools.toolbox import toolbox_for

STARTS_WITHIN_S = 6
"""Long enough for a server to start on a busy machine; a hung one is given up on after it."""


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mcp")
    script = write_server(folder)
    path = servers_file(folder, {"notes": notes_server(script, retrieval=["lookup"])})
    return folder, script, path


@pytest.fixture(scope="module")
def box(notes):
    return toolbox_for(["calculator"], str(notes[2]))


def by_name(box, name):
    return next(t for t in box.tools if t.name == name)


def test_the_servers_tools_join_the_toolbox_named_apart_where_they_clash(box):
    assert [t.name for t in box.tools] == ["calculator", "lookup", "notes.calculator"]
    assert box.notes == []
    lookup = by_name(box, "lookup")
    assert lookup.metadata["teamgraph_origin"] == "mcp notes"
    assert lookup.metadata["teamgraph_retrieval"] is True
    assert not by_name(box, "notes.calculator").metadata["teamgraph_retrieval"]


def test_the_react_team_calls_the_mcp_tool_and_cites_it(box):
    model = scripted(
        act("lookup", "wifi"), act("final_answer", "-"), f"The password is {PASSWORD} [1]."
    )
    graph = react.build_graph({"agent": model}, tools=box.tools, first_step="model")
    state = graph.invoke({"question": "What is the Wi-Fi password?"})
    assert state["messages"][-1].content.startswith("[1] lookup: wifi:\nOffice notes on wifi")
    answer_prompt = model.prompts_text()[-1]
    assert "Sources:" in answer_prompt and PASSWORD in answer_prompt
    assert state["citations"] == [
        {
            "number": 1,
            "kind": "tool",
            "title": "lookup: wifi",
            "origin": "mcp notes",
            "snippet": f"Office notes on wifi: the Wi-Fi password is {PASSWORD}.",
        }
    ]


def test_the_research_team_calls_the_mcp_tool_and_cites_it(box):
    model = RoutedChatModel(
        rules=[
            (DECIDER, decision("A")),
            (ANSWER, lambda p: f"It is {PASSWORD} [1]." if PASSWORD in p else "unknown"),
            (FINAL, lambda p: f"The password is {PASSWORD} [1]." if PASSWORD in p else "?"),
        ]
    )
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model), tools=box.tools, tool_policy="search"
    )
    state = graph.invoke({"question": "What is the Wi-Fi password?"})
    task = state["tasks"]["1"]
    assert task["tool"] == "lookup" and task["status"] == "done"
    assert any(ANSWER in p and PASSWORD in p for p in model.calls)
    assert state["answer"] == f"The password is {PASSWORD} [1]."
    assert [(c["number"], c["origin"]) for c in state["citations"]] == [(1, "mcp notes")]


def test_a_native_model_calls_clashing_names_the_provider_accepts(box):
    reply_calls = [{"name": "notes_calculator", "args": {"expression": "6*7"}, "id": "n1"}]
    model = NativeToolModel(script=[AIMessage(content="", tool_calls=reply_calls), "It is 42."])
    graph = react.build_graph(
        {"agent": model}, tools=box.tools, tool_mode="native", first_step="model"
    )
    state = graph.invoke({"question": "6*7?"})
    assert model.bound[-1][0] == ["calculator", "lookup", "notes_calculator"]
    assert state["messages"][0].tool_calls[0]["name"] == "notes.calculator"
    assert state["messages"][1].content == "6*7 = 42"
    sent_back = [m for m in model.calls[1] if m.type == "ai"][0]
    assert sent_back.tool_calls[0]["name"] == "notes_calculator"
    assert state["answer"] == "It is 42."


def test_the_cli_runs_a_team_with_mcp_tools(notes, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    model = scripted(act("lookup", "wifi"), act("final_answer", "-"), f"It is {PASSWORD} [1].")
    swap_build(
        monkeypatch,
        "react",
        lambda models, **kw: graphs.react.build_graph({"agent": model}, first_step="model", **kw),
    )
    argv = ["ask", "--team", "react", "Wi-Fi?", "--tools", "calculator", "--mcp", str(notes[2])]
    assert main([*argv, "--json", "-q"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tool_calls"] == [{"tool": "lookup", "input": {"query": "wifi"}}]
    assert report["citations"][0]["origin"] == "mcp notes"
    assert main(["tools", "--tools", "calculator", "--mcp", str(notes[2]), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(t["name"], t["origin"], t["retrieval"]) for t in listed["tools"]] == [
        ("calculator", "built-in", False),
        ("lookup", "mcp notes", True),
        ("notes.calculator", "mcp notes", False),
    ]


def mcp_children(script):
    """This process's live children running ``script`` (ended ones, zombies too, are not)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if str(script) in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_servers_that_crash_hang_or_are_missing_are_left_out_and_the_run_goes_on(notes, tmp_path):
    _, script, _ = notes
    path = servers_file(
        tmp_path,
        {
            "notes": notes_server(script),
            "broken": notes_server(script, "crash"),
            "stuck": notes_server(script, "hang"),
            "gone": {"command": "no-such-mcp-server"},
        },
    )
    started = time.monotonic()
    box = toolbox_for(["calculator"], str(path), mcp_timeout_s=STARTS_WITHIN_S)
    assert time.monotonic() - started < STARTS_WITHIN_S + 5
    assert sorted(t.name for t in box.tools) == ["calculator", "lookup", "notes.calculator"]
    assert box.notes == [
        "MCP server 'broken' failed: McpError: Connection closed (its last output: "
        "'notes server: cannot open the notes database'); it is left out.",
        f"MCP server 'stuck' left out: it did not answer within {STARTS_WITHIN_S}s.",
        "MCP server 'gone' failed: its command 'no-such-mcp-server' was not found; it is left out.",
    ]
    model = scripted(act("calculator", "6*7"), act("final_answer", "-"), "42.")
    state = react.build_graph({"agent": model}, tools=box.tools, first_step="model").invoke(
        {"question": "6*7?"}
    )
    assert state["messages"][-1].content == "6*7 = 42" and state["answer"] == "42."
    deadline = time.monotonic() + 5
    while mcp_children(script) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mcp_children(script) == []


def test_a_call_that_crashes_or_hangs_the_server_is_an_observation(box, notes):
    lookup = by_name(box, "lookup")
    calls = [
        {"name": "lookup", "args": {"query": "die now"}, "id": "a"},
        {"name": "lookup", "args": {"query": "stall please"}, "id": "b"},
        {"name": "calculator", "args": {"expression": "1+1"}, "id": "c"},
    ]
    started = time.monotonic()
    tools = [lookup, by_name(box, "calculator")]
    messages, _ = run_tool_calls(calls, tools, [], timeout_s=STARTS_WITHIN_S)
    assert time.monotonic() - started < STARTS_WITHIN_S + 2
    assert messages[0].status == "error"
    assert messages[0].content.startswith("error: lookup failed (ServerError: MCP server 'notes'")
    assert messages[1].content.startswith(f"error: lookup gave no answer within {STARTS_WITHIN_S}s")
    assert messages[2].content == "1+1 = 2"
    deadline = time.monotonic() + 5
    while mcp_children(notes[1]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mcp_children(notes[1]) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"servers": {}}', 'has no "mcpServers" key'),
        ('{"mcpServers": []}', "mcpServers must be an object"),
        ('{"mcpServers": {"a": {"comand": "x"}}}', "mcpServers.a.comand is not a known key"),
        (
            '{"mcpServers": {"a": {"command": "x", "args": "y"}}}',
            "mcpServers.a.args must be a list",
        ),
        ('{"mcpServers": {"a": {"command": "x", "env": {"K": 1}}}}', "mcpServers.a.env must be"),
        ('{"mcpServers": {"a": {"args": []}}}', 'mcpServers.a needs either "command"'),
        ('{"mcpServers": {"a": {"command": "x", "url": "http://h"}}}', "needs either"),
        ('{"mcpServers": {"a": {"url": "http://h", "transport": "ws"}}}', "mcpServers.a.transport"),
        ('{"mcpServers": {"a": {"command": ""}}}', "mcpServers.a.command must be a non-empty"),
        ('{"mcpServers": {"a": {"command": "x", "retrieval": "yes"}}}', "mcpServers.a.retrieval"),
    ],
)
def test_a_malformed_servers_file_names_the_key_that_is_wrong(tmp_path, content, message):
    path = tmp_path / "mcp.json"
    path.write_text(content)
    with pytest.raises(McpConfigError, match=None) as caught:
        read_servers_file(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_the_cli_reports_a_malformed_servers_file_in_one_line(tmp_path, capsys):
    path = servers_file(tmp_path, {"notes": {"command": "python", "args": [1]}})
    assert main(["tools", "--mcp", str(path)]) == 1
    err = capsys.readouterr().err
    assert "mcpServers.notes.args must be a list of strings" in err and "Traceback" not in err
    assert main(["tools", "--mcp", str(tmp_path / "none.json")]) == 1
    assert "Cannot read the MCP servers file" in capsys.readouterr().err


def test_offline_a_remote_server_is_not_reached(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    path = servers_file(tmp_path, {"far": {"url": "https://mcp.example.com/mcp"}})
    box = toolbox_for(["calculator"], str(path))
    assert [t.name for t in box.tools] == ["calculator"]
    assert box.notes == ["MCP server 'far' skipped: TEAMGRAPH_OFFLINE=1."]


def test_disabled_servers_are_skipped_and_inline_servers_come_from_the_project_file(
    notes, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    entry = json.dumps(notes_server(notes[1]))
    (tmp_path / "teamgraph.toml").write_text(
        'tools = ["calculator"]\n\n[mcpServers.notes]\n'
        + "\n".join(f"{k} = {json.dumps(v)}" for k, v in json.loads(entry).items())
        + '\n\n[mcpServers.off]\ncommand = "x"\ndisabled = true\n'
    )
    box = toolbox_for()
    assert [t.name for t in box.tools] == ["calculator", "lookup", "notes.calculator"]
    with pytest.raises(InputError, match="No tool named 'calculater'"):
        toolbox_for(["calculater"])
