import pytest

from agents.react_agent import SEARCH_FIRST_THOUGHT
from graphs.react import build_graph
from tools.built_in_tools import default_toolbox
from tools.ingest import ingest
from tools.knowledge_store import KnowledgeStore
from tools.wikipedia_search import WikipediaLookup


@pytest.fixture
def toolbox(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "onboarding.md").write_text(
        "# Onboarding\n\n## Wi-Fi\nThe office Wi-Fi network is AcmeGuest and its password is "
        "purple-otter-42.\n\n## Lunch\nLunch is served in the canteen from 12:00 to 14:00.\n"
    )
    (folder / "meetings.txt").write_text("The quarterly sales meeting is held in room Atlas.")
    store = KnowledgeStore("docs")
    assert ingest([folder], store).count("added") == 2
    return default_toolbox(store=store, wikipedia=WikipediaLookup(online=None))


def test_answers_from_the_knowledge_base_with_its_sources(toolbox):
    state = build_graph(tools=toolbox.tools).invoke(
        {"question": "What is the password of the office Wi-Fi?"}
    )
    called = [c["name"] for m in state["messages"] for c in getattr(m, "tool_calls", [])]
    assert "knowledge_base" in called
    assert state["answer"].strip()
    assert state["stop_reason"] in {"answered", "max_steps", "repeated_action"}
    first = state["sources"][0]
    assert first["kind"] == "file" and first["path"].endswith("onboarding.md")
    assert "purple-otter-42" in first["snippet"]
    numbered = {n: s for n, s in enumerate(state["sources"], start=1)}
    assert state["citations"]
    assert all(numbered[c["number"]]["title"] == c["title"] for c in state["citations"])
    assert state["usage"]["agent"]["calls"] >= 1


def test_general_question_cites_the_offline_wikipedia_corpus(toolbox):
    state = build_graph(tools=toolbox.tools).invoke({"question": "Who was Marie Curie?"})
    wiki = [s for s in state["sources"] if s["kind"] == "wikipedia"]
    assert wiki and all(s["origin"] == "offline corpus" for s in wiki)
    assert "Marie Curie" in [s["title"] for s in wiki]
    assert any(
        c.get("url", "").startswith("https://en.wikipedia.org/wiki/") for c in state["citations"]
    )


@pytest.mark.default_model
def test_the_default_model_makes_a_native_tool_call(toolbox):
    graph = build_graph(tools=toolbox.tools, max_steps=2, first_step="model")
    order: list[str] = []
    state: dict = {}
    for mode, payload in graph.stream(
        {"question": "What is 1234 multiplied by 5678?"}, stream_mode=["updates", "values"]
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            state = payload
    first = state["messages"][0]
    assert first.tool_calls, "the model's first reply is a tool call, read from its own format"
    assert first.content != SEARCH_FIRST_THOUGHT
    assert {c["name"] for c in first.tool_calls} <= {t.name for t in toolbox.tools}
    assert all(c["id"].startswith("call_") for c in first.tool_calls)
    assert order[:2] == ["agent", "tools"]
    assert state["models"] == {"agent": "local"}
    assert state["usage"]["agent"]["calls"] >= 1
