"""The knowledge base on a real ``chroma run`` server gives what the embedded store gives."""

import json
import os

import pytest

from tests.integration_tests.cli_runs import cli
from tests.services import ChromaServer
from tools.chroma_server import server_client
from tools.knowledge_store import KnowledgeStore

TOPICS = {
    "bees": "Bees pollinate almonds, apples and clover; a colony keeps one queen.",
    "tea": "Green tea is steamed or pan-fired soon after picking, so it does not oxidise.",
    "office": "The office Wi-Fi password is purple-otter-42; guests use the lobby network.",
    "rust": "Rust's borrow checker rejects two mutable references to the same value.",
    "volcano": "Basaltic lava is runny; rhyolitic lava is thick and traps gas, so it explodes.",
    "chess": "Castling moves the king two squares towards a rook, which jumps over it.",
    "bread": "Sourdough rises on wild yeast and lactic bacteria instead of baker's yeast.",
    "moon": "The Moon shows one face to Earth because its spin is tidally locked.",
}
QUERIES = [
    "what is the wifi password",
    "why do some volcanoes explode",
    "which insects pollinate apples",
    "how is green tea made",
    "mutable references",
    "wild yeast bread",
]


@pytest.fixture(scope="module")
def chroma():
    with ChromaServer() as server:
        yield server


def test_ingest_and_hybrid_search_on_the_server_match_the_embedded_store(chroma, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in TOPICS.items():
        (docs / f"{name}.md").write_text(f"# {name.title()}\n\n{text}\n")
    embedded_env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path / "home")}
    served_env = {**embedded_env, "TEAMGRAPH_CHROMA_URL": chroma.url}
    for environment in (embedded_env, served_env):
        done = cli(environment, "ingest", str(docs), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["added"] == len(TOPICS)
    again = cli(served_env, "ingest", str(docs), "--json")
    assert json.loads(again.stdout)["unchanged"] == len(TOPICS)

    embedded = KnowledgeStore("docs", home=tmp_path / "home")
    served = KnowledgeStore(
        "docs", client=server_client(chroma.url), embeddings=embedded.embeddings
    )
    assert served.count() == embedded.count() == len(TOPICS)
    for query in QUERIES:
        for mode in ("hybrid", "dense", "bm25"):
            mine = [(p.id, p.metadata["source"]) for p in embedded.search(query, k=3, mode=mode)]
            theirs = [(p.id, p.metadata["source"]) for p in served.search(query, k=3, mode=mode)]
            assert theirs == mine, (query, mode)
    top = served.search("what is the wifi password", k=1)[0]
    assert "purple-otter-42" in top.text
