import time

import pytest
import requests
from tavily.errors import InvalidAPIKeyError, UsageLimitExceededError

from tools.built_in_tools import default_toolbox
from tools.web_search import make_web_search_tool
from tools.wiki_corpus import Article, WikipediaCorpus
from tools.wikipedia_search import WikipediaLookup, make_wikipedia_tool

ARTICLES = [
    Article(
        "Marie Curie",
        "Marie Curie was a physicist and chemist who won two Nobel Prizes.",
        "scientist",
    ),
    Article("Paris", "Paris is the capital and largest city of France.", "capital of France"),
    Article(
        "Honey bee", "The honey bee is a eusocial flying insect that pollinates crops.", "insect"
    ),
]


class NoDenseIndex:
    def count(self) -> int:
        return 0


def corpus() -> WikipediaCorpus:
    return WikipediaCorpus(ARTICLES, store=NoDenseIndex())  # type: ignore[arg-type]


def call(tool, query):
    return tool.invoke(
        {"name": tool.name, "args": {"query": query}, "id": "1", "type": "tool_call"}
    )


def test_online_answer_is_used_when_it_works():
    def online(query, results):
        return [
            {
                "kind": "wikipedia",
                "title": "Paris",
                "url": "https://en.wikipedia.org/wiki/Paris",
                "origin": "Wikipedia online",
                "snippet": "Paris online text",
            }
        ]

    message = call(make_wikipedia_tool(WikipediaLookup(corpus(), online)), "capital of France")
    assert "[Wikipedia online]" in message.content
    assert message.artifact[0]["origin"] == "Wikipedia online"


def test_network_failure_falls_back_to_the_offline_corpus_and_stays_offline():
    attempts = []

    def online(query, results):
        attempts.append(query)
        raise ConnectionError("no network")

    tool = make_wikipedia_tool(WikipediaLookup(corpus(), online))
    message = call(tool, "Who was Marie Curie?")
    assert "offline Wikipedia corpus" in message.content and "ConnectionError" in message.content
    first = message.artifact[0]
    assert first["title"] == "Marie Curie" and first["origin"] == "offline corpus"
    assert first["url"] == "https://en.wikipedia.org/wiki/Marie_Curie"
    call(tool, "honey bee")
    assert attempts == ["Who was Marie Curie?"]


def test_a_hanging_network_times_out_fast():
    def online(query, results):
        time.sleep(2)
        return []

    started = time.monotonic()
    message = call(make_wikipedia_tool(WikipediaLookup(corpus(), online, timeout_s=0.2)), "Paris")
    assert time.monotonic() - started < 1.5
    assert "timed out" in message.content and message.artifact[0]["title"] == "Paris"


def test_offline_can_be_forced(monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")

    def online(query, results):
        raise AssertionError("online must not be tried")

    message = call(make_wikipedia_tool(WikipediaLookup(corpus(), online)), "bees pollinate")
    assert message.artifact[0]["title"] == "Honey bee"


def test_nothing_found_is_an_observation_not_an_error():
    message = call(make_wikipedia_tool(WikipediaLookup(corpus(), None)), "zzzz qqqq")
    assert message.content.startswith("No Wikipedia article") and message.artifact == []


def test_the_real_offline_corpus_is_readable():
    articles = WikipediaCorpus(store=NoDenseIndex()).articles  # type: ignore[arg-type]
    assert len(articles) > 10_000 - 100
    found = WikipediaCorpus(articles, store=NoDenseIndex()).search("Marie Curie physicist", k=3)  # type: ignore[arg-type]
    assert "Marie Curie" in [a.title for a in found]


class FakeTavily:
    def __init__(self, error=None):
        self.error = error
        self.queries = []

    def search(self, query, max_results, timeout):
        self.queries.append((query, max_results, timeout))
        if self.error:
            raise self.error
        return {"results": [{"title": "Result", "url": "https://example.org/a", "content": "text"}]}


def test_web_search_returns_sources():
    client = FakeTavily()
    message = call(make_web_search_tool(client), "latest news")
    assert message.artifact == [
        {
            "kind": "web",
            "title": "Result",
            "url": "https://example.org/a",
            "origin": "Tavily",
            "snippet": "text",
        }
    ]
    assert client.queries[0][2] <= 10


def test_web_search_failure_is_a_short_unavailable_observation():
    message = call(make_web_search_tool(FakeTavily(ConnectionError("dns failed"))), "news")
    assert message.content == "unavailable: web search failed (ConnectionError: dns failed)"
    assert message.status == "error" and not message.artifact


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (requests.ConnectionError("HTTPSConnectionPool(...): Failed to resolve"), "cannot reach"),
        (InvalidAPIKeyError("Unauthorized"), "Tavily refused the key in TAVILY_API_KEY"),
        (UsageLimitExceededError("limit"), "usage limit is reached"),
    ],
)
def test_a_search_that_cannot_be_made_says_why_in_a_few_words(error, said):
    message = call(make_web_search_tool(FakeTavily(error)), "news")
    assert message.status == "error" and said in message.content
    assert len(message.content) < 90


def test_toolbox_leaves_out_web_search_without_a_key_and_says_so(store):
    box = default_toolbox(store=store, wikipedia=WikipediaLookup(corpus(), None))
    names = [tool.name for tool in box.tools]
    assert "web_search" not in names and "knowledge_base" not in names
    assert names == ["wikipedia", "calculator"]
    assert any("TAVILY_API_KEY" in note for note in box.notes)
    assert any("teamgraph ingest" in note for note in box.notes)


def test_toolbox_includes_web_search_with_a_key(monkeypatch, store):
    monkeypatch.setenv("TAVILY_API_KEY", "tvly-test")
    box = default_toolbox(store=store, wikipedia=WikipediaLookup(corpus(), None))
    assert "web_search" in [tool.name for tool in box.tools]


def test_offline_means_web_search_makes_no_request_even_with_a_key(monkeypatch, store):
    monkeypatch.setenv("TAVILY_API_KEY", "tvly-test")
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    box = default_toolbox(store=store, wikipedia=WikipediaLookup(corpus(), None))
    assert "web_search" not in [tool.name for tool in box.tools]
    assert any("TEAMGRAPH_OFFLINE" in note for note in box.notes)
    client = FakeTavily()
    message = call(make_web_search_tool(client), "text from an ingested document")
    assert client.queries == [] and not message.artifact and message.status == "error"
    assert message.content.startswith("unavailable: web search is off")


def test_a_home_without_a_knowledge_base_gets_the_note_without_opening_one(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    from tools import built_in_tools

    monkeypatch.setattr(built_in_tools, "KnowledgeStore", None)
    box = default_toolbox(wikipedia=WikipediaLookup(corpus(), None))
    assert [tool.name for tool in box.tools] == ["wikipedia", "calculator"]
    assert any("teamgraph ingest" in note for note in box.notes)
    assert not (tmp_path / "chroma").exists(), "nothing is created to say it is empty"


def test_a_named_chroma_server_counts_as_a_knowledge_base_to_open(tmp_path, monkeypatch):
    from tools.knowledge_store import knowledge_base_exists

    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    assert not knowledge_base_exists()
    monkeypatch.setenv("TEAMGRAPH_CHROMA_URL", "http://127.0.0.1:8000")
    assert knowledge_base_exists(), "the server's documents are not on this disk"
