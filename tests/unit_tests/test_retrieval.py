import json
import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tools import bm25, wiki_corpus
from tools.bm25 import BM25Index, reciprocal_rank_fusion
from tools.collection_index import CollectionIndex
from tools.knowledge_store import Chunk, KnowledgeStore
from tools.tokens import tokenize


def test_tokenize_drops_stopwords_and_case():
    assert tokenize("What is the Capital of France?") == ["capital", "franc"]
    assert tokenize("bees pollinating") == tokenize("bee pollinates")


def test_words_of_every_script_count_and_an_accent_does_not_split_or_change_a_word():
    assert tokenize("Crème brûlée at the Café in Zürich") == tokenize("creme brulee cafe zurich")
    assert tokenize("Crème brûlée at the Café in Zürich") == ["crem", "brule", "cafe", "zurich"]
    assert tokenize("Ελληνικά και Русский язык") == ["ελληνικά", "και", "русский", "язык"]
    assert tokenize("snake_case, the ﬁle") == ["snak", "case", "file"]


def test_chinese_japanese_and_korean_runs_count_as_pairs_of_characters():
    assert tokenize("酒店费用上限") == ["酒店", "店费", "费用", "用上", "上限"]
    assert tokenize("Wi-Fiパスワード") == ["wi", "fi", "パス", "スワ", "ワー", "ード"]
    assert tokenize("회의실을 예약") == ["회의", "의실", "실을", "예약"]
    assert tokenize("東京2020年") == ["東京", "2020", "年"]


def test_bm25_finds_a_chinese_word_inside_an_unspaced_sentence():
    index = BM25Index.build(
        ["员工出差时，酒店每晚的费用上限为八百元。", "会议室的预约请提前一天联系行政部。"]
    )
    assert [at for at, _ in index.search("酒店费用", 2)][0] == 0
    assert [at for at, _ in index.search("会议室预约", 2)][0] == 1
    assert index.search("天气", 2) == []


def test_the_share_of_latin_script_a_query_is_written_in():
    from tools.tokens import latin_share

    assert latin_share("Crème brûlée, 2 cafés") == 1.0
    assert latin_share("酒店费用上限是多少？") == 0.0
    assert latin_share("Wi-Fi密码") == pytest.approx(4 / 6)
    assert latin_share("？！") == 1.0


def test_a_chinese_query_is_ranked_by_bm25_alone_on_the_english_embeddings(
    store, minilm, monkeypatch
):
    chunks = [
        Chunk("travel", "员工出差时，酒店每晚的费用上限为八百元。", {"source": "travel"}),
        Chunk("rooms", "会议室的预约请提前一天联系行政部。", {"source": "rooms"}),
        Chunk("coffee", "The coffee machine is on the third floor.", {"source": "coffee"}),
    ]
    store.add(chunks, minilm.embed_documents([c.text for c in chunks]))
    dense_asked = []
    dense_ids = store.dense_ids
    monkeypatch.setattr(
        store,
        "dense_ids",
        lambda query, *rest: dense_asked.append(query) or dense_ids(query, *rest),
    )
    assert [p.id for p in store.search("酒店费用上限是多少？", k=2)] == ["travel"]
    assert [p.id for p in store.search("会议室预约", k=2)] == ["rooms"]
    assert dense_asked == [], "MiniLM's vectors of Chinese ranked unrelated notes first"
    assert store.search("coffee machine", k=1)[0].id == "coffee"
    assert dense_asked == ["coffee machine"]


def test_the_corpus_leaves_dense_out_of_a_query_its_english_embeddings_cannot_read(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    corpus = wiki_corpus.WikipediaCorpus(corpus_articles())
    corpus.build_dense_index()
    assert corpus.search("蜜蜂为花授粉", k=2, mode="dense"), "MiniLM ranks something"
    assert corpus.search("蜜蜂为花授粉", k=2) == []
    assert [a.title for a in corpus.search("what do bees pollinate", k=1)] == ["Bee"]


def test_weighted_fusion_scales_each_ranking():
    assert reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[0.4, 1]) == ["b", "a"]
    assert reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1, 0.4]) == ["a", "b"]


def test_bm25_and_titles_find_a_word_written_with_or_without_accents():
    from tools.title_match import TitleIndex

    index = BM25Index.build(["The café serves crème brûlée.", "Trains leave at noon."])
    assert [at for at, _ in index.search("creme brulee", 2)] == [0]
    assert [at for at, _ in index.search("Café", 2)] == [0]
    titles = TitleIndex.build(["Zürich", "São Paulo", "Bern"])
    assert titles.search("trains from zurich to sao paulo") == [1, 0]


def test_bm25_ranks_the_matching_document_first():
    index = BM25Index.build(
        ["cats purr softly", "dogs bark loudly at cats", "the stock market fell"]
    )
    ranked = [position for position, _ in index.search("why do cats purr", 3)]
    assert ranked[0] == 0
    assert 2 not in ranked
    assert index.search("quantum chromodynamics", 3) == []


def test_bm25_searches_at_once_from_several_threads_give_the_same_answers():
    rng = random.Random(3)
    words = [f"w{n}" for n in range(100)]
    documents = [" ".join(rng.choices(words, k=12)) for _ in range(2000)]
    index = BM25Index.build(documents)
    queries = [" ".join(rng.choices(words, k=4)) for _ in range(40)]
    alone = [index.search(query, 10) for query in queries]
    with index._scores_lock:
        assert [index.search(query, 10) for query in queries] == alone, "a search while busy"
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda query: index.search(query, 10), queries * 5)) == alone * 5


def test_bm25_handles_an_empty_index():
    assert BM25Index.build([]).search("anything", 5) == []


@pytest.mark.parametrize(
    ("grouped_from", "mapped_from"),
    [(10**9, 10**9), (1, 0)],
    ids=["all scores in plain zeros", "group maxima in mapped zeros"],
)
def test_bm25_returns_the_best_scores_however_it_picks_them(monkeypatch, grouped_from, mapped_from):
    rng = random.Random(7)
    words = [f"w{n}" for n in range(300)]
    documents = [" ".join(rng.choices(words, k=rng.randint(3, 40))) for _ in range(3000)]
    documents[10] += " rare"
    documents[2500] += " rare"
    index = BM25Index.build(documents)
    monkeypatch.setattr(BM25Index, "GROUPED_FROM", grouped_from)
    monkeypatch.setattr(bm25, "MAPPED_FROM_BYTES", mapped_from)
    for query in ("w1 w2 w3", "w7", "w10 w200 w299 w5 w6", "w42 nothing", "rare"):
        expected: dict[int, float] = {}
        postings = [index._postings(term) for term in set(tokenize(query))]
        for docs, weights in [found for found in postings if found is not None]:
            for doc, weight in zip(docs.tolist(), weights.tolist(), strict=True):
                expected[doc] = expected.get(doc, 0.0) + weight
        best = sorted(expected.values(), reverse=True)
        for k in (1, 5, bm25.FEW, bm25.FEW + 1, 50, 500):
            hits = index.search(query, k)
            assert len({doc for doc, _ in hits}) == len(hits) == min(k, len(expected))
            assert [score for _, score in hits] == pytest.approx(best[:k], rel=1e-5)
            assert all(score == pytest.approx(expected[doc], rel=1e-5) for doc, score in hits)


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


def corpus_articles():
    return [
        wiki_corpus.Article(e["title"], e["extract"], e["description"]) for e in CORPUS.values()
    ]


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
    (saved,) = (tmp_path / "home" / "indexes" / "wikipedia-offline").glob("index.bin")
    saved.write_bytes(damage(saved.read_bytes()))
    rebuilt = wiki_corpus.saved_index(path)
    assert rebuilt.bm25.search("pollinate", 3) == built.bm25.search("pollinate", 3)
    monkeypatch.setattr(wiki_corpus, "load_articles", refuse("the damaged index was kept"))
    loaded = wiki_corpus.saved_index(path)
    assert not loaded.bm25.arrays["docs"].flags.writeable, "mapped from the replaced file"
    assert loaded.bm25.search("pollinate", 3) == built.bm25.search("pollinate", 3)


def test_saving_an_index_clears_older_layouts_and_stale_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    folder = tmp_path / "home" / "indexes" / "wikipedia-offline"
    (folder / "0123abcd").mkdir(parents=True)
    (folder / "0123abcd" / "index.bin").write_bytes(b"an index of the older layout")
    stale = folder / ".saving-stale.bin"
    stale.write_bytes(b"left by a process that stopped while saving")
    os.utime(stale, (1, 1))
    (folder / ".saving-busy.bin").write_bytes(b"another process is saving")
    wiki_corpus.saved_index(corpus_file(tmp_path))
    assert sorted(p.name for p in folder.iterdir()) == [".saving-busy.bin", "index.bin"]


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
    found = wiki_corpus.WikipediaCorpus(corpus_articles()).search("what do bees pollinate", k=1)
    assert [a.title for a in found] == ["Bee"]
    assert not (home / "chroma").exists()
