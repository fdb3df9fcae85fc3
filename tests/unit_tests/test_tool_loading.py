"""Tools by name: built-ins, the community catalogue (offline), and package.module:attr."""

import json
import sys
import textwrap

import pytest

from graphs import react
from graphs.cli import main
from tests.fakes import scripted
from tests.unit_tests.test_react_graph import act
from tools.kernel.errors import InputError
from tools.tool_runner import run_tool_calls
from tools.toolbox import named_tools, toolbox_for

MODULE = '''
from langchain_core.tools import tool

from tools.tool_addressing import mark_retrieval


@tool
def shout(text: str) -> str:
    """Say it louder."""
    return text.upper() + "!"


@tool
def whisper(text: str) -> str:
    """Say it softly."""
    return text.lower() + "..."


@tool("calculator")
def my_calculator(expression: str) -> str:
    """A calculator of my own."""
    return "0"


VOICES = [shout, whisper]


def make_tools():
    return [mark_retrieval(whisper)]


def needs_a_name(name):
    return name


NOT_A_TOOL = 3
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    (tmp_path / "voices.py").write_text(textwrap.dedent(MODULE))
    yield tmp_path
    sys.modules.pop("voices", None)


def names(box):
    return [t.name for t in box.tools]


def test_an_import_path_gives_a_tool_a_list_or_a_factory(project):
    made = named_tools(["voices:make_tools"], "docs").tools
    assert [t.metadata["teamgraph_retrieval"] for t in made] == [True]
    assert made[0].metadata["teamgraph_origin"] == "python voices:make_tools"
    assert names(named_tools(["voices:shout"], "docs")) == ["shout"]
    assert names(named_tools(["voices:VOICES"], "docs")) == ["shout", "whisper"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuchmodule:x", "Cannot import 'nosuchmodule'"),
        ("voices:nothing", "voices has no attribute 'nothing'"),
        ("voices:needs_a_name", "needs arguments (name)"),
        ("voices:NOT_A_TOOL", "is a int, not a tool"),
        ("voices:", "write package.module:attr"),
    ],
)
def test_a_bad_import_path_says_what_is_wrong(project, spec, message):
    with pytest.raises(InputError, match=None) as caught:
        named_tools([spec], "docs")
    assert message in str(caught.value)


def test_an_import_path_tool_runs_in_a_team_from_the_cli(project, monkeypatch, capsys):
    from tests.fakes import swap_build

    model = scripted(act("shout", "hello"), act("final_answer", "-"), "HELLO!")
    swap_build(
        monkeypatch,
        "react",
        lambda models, **kw: react.build_graph({"agent": model}, first_step="model", **kw),
    )
    assert main(["ask", "--team", "react", "Shout hello", "--tools", "voices:shout", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tool_calls"] == [{"tool": "shout", "input": {"text": "hello"}}]
    assert "HELLO!" in model.prompts_text()[-1]


def test_a_community_tool_offline_says_so_and_makes_no_attempt(project, monkeypatch):
    tools, notes = named_tools(["pubmed"], "docs").tools, []
    pubmed = tools[0]
    assert pubmed.metadata["teamgraph_network"] is True
    assert pubmed.metadata["teamgraph_origin"] == "langchain-community (pubmed)"
    attempts = []
    monkeypatch.setattr(type(pubmed), "_run", lambda self, *a, **k: attempts.append(a) or "x")
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    model = scripted(act(pubmed.name, "bee venom"), act("final_answer", "-"), "No answer.")
    graph = react.build_graph({"agent": model}, tools=tools, first_step="model")
    state = graph.invoke({"question": "What does bee venom do?"})
    assert attempts == [] and notes == []
    observation = state["messages"][1]
    assert observation.status == "error"
    assert "needs the network and TEAMGRAPH_OFFLINE=1 is set" in observation.content
    assert state["stop_reason"] == "answered"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_community_tool_without_network_reports_it_as_an_observation(project):
    tools = named_tools(["pubmed"], "docs").tools
    calls = [{"name": tools[0].name, "args": {"query": "bee venom"}, "id": "p"}]
    messages, _ = run_tool_calls(calls, tools, [])
    assert "socket" in messages[0].content.lower()


def test_a_community_tool_without_its_key_stays_and_says_which_key(project, monkeypatch):
    monkeypatch.delenv("SERPAPI_API_KEY", raising=False)
    box = named_tools(["serpapi"], "docs")
    assert names(box) == ["serpapi"]
    assert box.notes == ["serpapi is unavailable: set SERPAPI_API_KEY."]
    messages, _ = run_tool_calls(
        [{"name": "serpapi", "args": {"query": "x"}, "id": "s"}], box.tools, []
    )
    assert messages[0].content == "unavailable: serpapi needs an API key: set SERPAPI_API_KEY"
    assert messages[0].status == "error"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("stackexchange", "pip install stackapi"),
        ("human", "waits for someone to type"),
        ("requests_get", "sends any web request"),
        ("llm-math", "needs a chat model of its own"),
        ("arxive", "did you mean arxiv"),
    ],
)
def test_community_names_that_cannot_be_had_are_refused_clearly(project, name, message):
    with pytest.raises(InputError, match=None) as caught:
        named_tools([name], "docs")
    assert message in str(caught.value)


def test_built_in_names_and_default(project, monkeypatch):
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    box = named_tools(["default", "calculator", "web_search"], "docs")
    assert names(box) == ["wikipedia", "calculator", "web_search"]
    assert "web_search is unavailable: set TAVILY_API_KEY." in box.notes
    assert any("knowledge_base is off" in note for note in box.notes)
    assert names(toolbox_for(["voices:shout", "voices:VOICES"])) == ["shout", "whisper"]
    with pytest.raises(InputError, match="Two tools are named 'calculator'"):
        toolbox_for(["calculator", "voices:my_calculator"])


def test_tools_on_the_command_line_replace_the_default_ones(project, capsys):
    assert main(["tools", "--tools", "calculator", "--tools", "voices:VOICES", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(t["name"], t["origin"]) for t in listed["tools"]] == [
        ("calculator", "built-in"),
        ("shout", "python voices:VOICES"),
        ("whisper", "python voices:VOICES"),
    ]
    assert main(["tools", "--tools", " , "]) == 1
    assert "--tools names no tool" in capsys.readouterr().err
    assert main(["tools", "--catalogue", "--json"]) == 0
    catalogue = json.loads(capsys.readouterr().out)
    assert {"arxiv", "pubmed", "wikidata", "ddg-search"} <= set(catalogue["community"])
    assert "human" not in catalogue["community"] and "wikipedia" not in catalogue["community"]


def test_a_thread_keeps_how_its_tools_were_asked_for_and_resume_asks_again(project, monkeypatch):
    from graphs.threads import jobs
    from graphs.threads.storage import open_checkpointer, saved_run
    from tests.fakes import swap_build

    model = scripted(act("shout", "hi"), act("final_answer", "-"), "HI!")
    swap_build(
        monkeypatch,
        "react",
        lambda models, **kw: react.build_graph({"agent": model}, first_step="model", **kw),
    )
    from tools.knowledge_store import KnowledgeStore

    KnowledgeStore("notes")  # the collection exists (empty): asking for it is not an error
    argv = ["ask", "--team", "react", "Shout", "--tools", "voices:shout", "--thread", "t1", "-q"]
    assert main([*argv, "--collection", "notes"]) == 0
    saved = saved_run(open_checkpointer(), "t1")
    assert saved.tools == {"tools": ["voices:shout"], "mcp": None, "collection": "notes"}
    asked = []
    real = jobs.toolbox
    monkeypatch.setattr(jobs, "toolbox", lambda *a, **k: asked.append(k) or real(*a, **k))
    job = jobs.resume_job(saved, "t1", {})
    assert asked == [{"tools": ["voices:shout"], "mcp": None, "collection": "notes"}]
    assert job.settings["max_steps"] == react.DEFAULT_MAX_STEPS


def test_a_react_run_with_no_tool_at_all_stops_before_it_starts(project, capsys):
    (project / "teamgraph.toml").write_text("tools = []\n")
    assert main(["ask", "--team", "react", "Anything?"]) == 1
    err = capsys.readouterr().err
    assert "The react team has no tool to use" in err and "Traceback" not in err
