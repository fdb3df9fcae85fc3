import json
import os

import pytest

from tools import wiki_corpus
from tools.bm25 import BM25Index, reciprocal_rank_fusion
from tools.collection_index import CollectionIndex
from tools.knowledge_store import Chunk, KnowledgeStore
from tools.tokens import tokenize


def test_tokenize_drops_stopwords_and_case():
    assert tokenize("What is the Capital of France?") == ["capital", "franc"]
    assert tokenize("bees pollinating") == tokenize("bee pollinates")


def test_bm25_ranks_the_matching_document_first():
    index = BM25Index.build(
        ["cats purr softly", "dogs bark loudly at cats", "the stock market fell"]
    )
    ranked = [position for position, _ in index.search("why do cats purr", 3)]
    assert ranked[0] == 0
    assert 2 not in ranked
    assert index.search("quantum chromodynamics", 3) == []


def test_bm25_handles_an_empty_index():
    assert BM25Index.build([]).search("anything", 5) == []


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert fused[:2] == ["b", "a"] or fused[:2] == ["a", "b"]
    assert set(fused) == {"a", "b", "c", "d"}
    assert fused.index("b") < fused.index("c") and fused.index("a") < fused.index("d")


CORPUS = {
    "India": {
        "title": "India",
        "extract": "India is a country in South Asia.",
        "description": "country",
    },
    "Delhi": {
        "title": "Delhi",
        "extract": "Delhi is the capital city of India.",
        "description": "city",
    },
    "Bee": {"title": "Bee", "extract": "Bees pollinate flowers.", "description": "insect"},
}


def corpus_file(tmp_path, entries=CORPUS):
    path = tmp_path / "summaries.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_the_corpus_index_is_built_once_then_loaded_by_a_new_process(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    path = corpus_file(tmp_path)
    built = wiki_corpus.saved_index(path)
    monkeypatch.setattr(wiki_corpus, "load_articles", refuse("the saved index was not used"))
    loaded = wiki_corpus.saved_index(path)
    assert not loaded.bm25.arrays["docs"].flags.writeable, "mapped from the saved file"
    for query in ("capital city of India", "pollinate"):
        assert loaded.bm25.search(query, 3) == built.bm25.search(query, 3)
    assert [loaded.id(p) for p in loaded.titles.search("What is the capital of India?")] == [
        wiki_corpus.Article("India", "", "").id
    ]
    position = loaded.position(wiki_corpus.Article("Bee", "", "").id)
    assert loaded.fields(position) == ["Bee", "insect", "Bees pollinate flowers."]


def test_a_changed_corpus_file_is_indexed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    path = corpus_file(tmp_path)
    assert wiki_corpus.saved_index(path).size == 3
    extra = {"Wasp": {"title": "Wasp", "extract": "Wasps sting.", "description": "insect"}}
    corpus_file(tmp_path, {**CORPUS, **extra})
    os.utime(path, ns=(1, 1))
    again = wiki_corpus.saved_index(path)
    assert again.size == 4 and again.id(again.bm25.search("wasps sting", 1)[0][0]).startswith(
        "wiki-"
    )
    assert len(list((tmp_path / "home" / "indexes" / "wikipedia-offline").iterdir())) == 1


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 2], lambda data: bytes(255 - b for b in data)],
    ids=["cut short", "overwritten"],
)
def test_a_damaged_saved_index_is_built_again_and_replaced(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    path = corpus_file(tmp_path)
    built = wiki_corpus.saved_index(path)
    (saved,) = (tmp_path / "home" / "indexes" / "wikipedia-offline").glob("*/index.bin")
    saved.write_bytes(damage(saved.read_bytes()))
    rebuilt = wiki_corpus.saved_index(path)
    assert rebuilt.bm25.search("pollinate", 3) == built.bm25.search("pollinate", 3)
    monkeypatch.setattr(wiki_corpus, "load_articles", refuse("the damaged index was kept"))
    loaded = wiki_corpus.saved_index(path)
    assert not loaded.bm25.arrays["docs"].flags.writeable, "mapped from the replaced file"
    assert loaded.bm25.search("pollinate", 3) == built.bm25.search("pollinate", 3)


def test_an_unwritable_index_folder_still_searches(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "indexes").mkdir(parents=True)
    (home / "indexes" / "wikipedia-offline").write_text("not a folder")
    monkeypatch.setenv("TEAMGRAPH_HOME", str(home))
    index = wiki_corpus.saved_index(corpus_file(tmp_path))
    assert index.bm25.search("bees", 1)


def test_a_collection_index_is_saved_and_loaded_until_the_collection_changes(
    tmp_path, minilm, monkeypatch
):
    home = tmp_path / "home"
    first = KnowledgeStore("docs", home=home, embeddings=minilm)
    chunks = [
        Chunk("a", "Bees pollinate flowers in spring.", {"source": "a"}),
        Chunk("b", "The stock market fell sharply.", {"source": "b"}),
    ]
    first.add(chunks, minilm.embed_documents([c.text for c in chunks]))
    assert first.bm25_ids("bees pollinate", 2) == ["a"]
    building = CollectionIndex.build
    monkeypatch.setattr(CollectionIndex, "build", refuse("the saved index was not used"))
    second = KnowledgeStore("docs", home=home, embeddings=minilm)
    assert second.bm25_ids("stock market", 2) == ["b"]
    monkeypatch.setattr(CollectionIndex, "build", building)
    more = [Chunk("c", "Market gardens grow vegetables.", {"source": "c"})]
    second.add(more, minilm.embed_documents([more[0].text]))
    assert set(second.bm25_ids("market", 3)) == {"b", "c"}


def refuse(why):
    def refused(*args, **kwargs):
        raise AssertionError(why)

    return refused


def test_a_search_without_a_knowledge_base_neither_opens_nor_makes_one(tmp_path, monkeypatch):
    import tools.knowledge_store as knowledge_store

    home = tmp_path / "home"
    monkeypatch.setenv("TEAMGRAPH_HOME", str(home))
    monkeypatch.setattr(knowledge_store, "open_client", refuse("a knowledge base was opened"))
    articles = [
        wiki_corpus.Article(e["title"], e["extract"], e["description"]) for e in CORPUS.values()
    ]
    found = wiki_corpus.WikipediaCorpus(articles).search("what do bees pollinate", k=1)
    assert [a.title for a in found] == ["Bee"]
    assert not (home / "chroma").exists()
