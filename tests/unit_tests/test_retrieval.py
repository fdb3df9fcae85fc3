from tools.bm25 import BM25Index, reciprocal_rank_fusion, tokenize


def test_tokenize_drops_stopwords_and_case():
    assert tokenize("What is the Capital of France?") == ["capital", "franc"]
    assert tokenize("bees pollinating") == tokenize("bee pollinates")


def test_bm25_ranks_the_matching_document_first():
    index = BM25Index(["cats purr softly", "dogs bark loudly at cats", "the stock market fell"])
    ranked = [position for position, _ in index.search("why do cats purr", 3)]
    assert ranked[0] == 0
    assert 2 not in ranked
    assert index.search("quantum chromodynamics", 3) == []


def test_bm25_handles_an_empty_index():
    assert BM25Index([]).search("anything", 5) == []


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert fused[:2] == ["b", "a"] or fused[:2] == ["a", "b"]
    assert set(fused) == {"a", "b", "c", "d"}
    assert fused.index("b") < fused.index("c") and fused.index("a") < fused.index("d")
