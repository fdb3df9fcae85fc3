"""Retrieval on FanOutQA dev against the offline Wikipedia corpus, and retrieval speed.

Quality: every sub-question of FanOutQA dev whose gold evidence page is in the offline
corpus; recall@1 and recall@5 of that page for BM25, dense (MiniLM), title matching,
BM25+dense (RRF) and hybrid (RRF of all three, what the ``wikipedia`` tool uses).
Speed: ingestion throughput (embedding + Chroma upsert), hybrid query latency p50/p95
at 10k chunks (the corpus) and 100k chunks, and peak memory. The 100k collection is
built from the corpus: each chunk joins two real articles' texts, its vector is their
normalised mean, so it needs no hour of embedding.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.report import figure, heading
from tools.embeddings import load_embeddings
from tools.kernel.package_data import package_dir
from tools.knowledge_store import Chunk, KnowledgeStore
from tools.wiki_corpus import WikipediaCorpus, load_articles

RESULTS_HOME = Path(__file__).parent / "results" / "home"
LARGE = 100_000
BATCH = 2000


def fanoutqa_pairs(titles: set[str]) -> list[tuple[str, str]]:
    """(sub-question, gold page title) for every sub-question whose page is in ``titles``."""
    folder = package_dir("fanoutqa")
    if folder is None:
        raise SystemExit("fanoutqa is not installed: pip install --no-deps fanoutqa")
    path = folder / "data" / "fanout-final-dev.json"
    pairs: list[tuple[str, str]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            evidence = item.get("evidence") or {}
            if evidence.get("title") in titles:
                pairs.append((item["question"], evidence["title"]))
            walk(item.get("decomposition") or [])

    for question in json.loads(path.read_text()):
        walk(question.get("decomposition") or [])
    return pairs


def _recall(ranked: list[str], gold: str, k: int) -> float:
    return 1.0 if gold in ranked[:k] else 0.0


def quality(corpus: WikipediaCorpus, pairs: list[tuple[str, str]]) -> list[float]:
    """Print recall@1/@5 per mode; returns hybrid query latencies (seconds)."""
    heading(
        f"Retrieval quality on FanOutQA dev "
        f"({len(pairs)} sub-questions with a gold page in the corpus)"
    )
    latencies: list[float] = []
    for mode in ("bm25", "dense", "title", "bm25+dense", "hybrid"):
        at1 = at5 = 0.0
        for question, gold in pairs:
            started = time.perf_counter()
            titles = [a.title for a in corpus.search(question, k=5, mode=mode)]
            if mode == "hybrid":
                latencies.append(time.perf_counter() - started)
            at1 += _recall(titles, gold, 1)
            at5 += _recall(titles, gold, 5)
        target5 = ">= 0.95" if mode == "hybrid" else "-"
        figure(f"{mode} recall@1", at1 / len(pairs), "", "-", True)
        met = at5 / len(pairs) >= 0.95 if mode == "hybrid" else True
        figure(f"{mode} recall@5", at5 / len(pairs), "", target5, met)
    return latencies


def _percentiles(name: str, latencies: list[float]) -> None:
    p50 = statistics.median(latencies) * 1000
    p95 = float(np.percentile(latencies, 95)) * 1000
    figure(f"{name} hybrid query p50", p50, "ms", "-", True)
    figure(f"{name} hybrid query p95", p95, "ms", "< 50 ms", p95 < 50)


def large_collection(corpus: WikipediaCorpus, questions: list[str]) -> None:
    """Build the 100k-chunk collection and time hybrid queries on it."""
    store = KnowledgeStore("bench-100k", home=RESULTS_HOME)
    articles = corpus.articles
    base = corpus.store()
    if store.count() < LARGE:
        found = base._collection.get(ids=[a.id for a in articles], include=["embeddings"])
        vectors = dict(zip(found["ids"], found["embeddings"], strict=True))
        rng = np.random.default_rng(7)
        started = time.perf_counter()
        for start in range(store.count(), LARGE, BATCH):
            pairs = rng.integers(0, len(articles), size=(min(BATCH, LARGE - start), 2))
            chunks, block = [], []
            for offset, (i, j) in enumerate(pairs):
                a, b = articles[int(i)], articles[int(j)]
                vector = np.asarray(vectors[a.id]) + np.asarray(vectors[b.id])
                block.append(vector / np.linalg.norm(vector))
                chunk_id = f"mix-{start + offset}"
                chunks.append(
                    Chunk(chunk_id, f"{a.text}\n{b.text}", {"source": chunk_id, "title": a.title})
                )
            store.add(chunks, np.asarray(block, dtype=np.float32))
        figure("100k collection build (upsert only)", time.perf_counter() - started, "s", "-", True)
    _percentiles(f"{store.count() // 1000}k chunks:", query_latencies(store, questions))


def query_latencies(store: KnowledgeStore, questions: list[str]) -> list[float]:
    """Seconds of each hybrid query (top 5), after one that warms the BM25 index up."""
    store.search("warm up the BM25 index", k=5)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        store.search(question, k=5)
        latencies.append(time.perf_counter() - started)
    return latencies


def run() -> None:
    """Build what is missing, then print quality, speed and memory figures."""
    articles = load_articles()
    store = KnowledgeStore("wikipedia-offline", home=RESULTS_HOME)
    corpus = WikipediaCorpus(articles, store)
    heading("Ingestion (offline MiniLM embeddings + Chroma upsert)")
    if not corpus.has_dense_index():
        started = time.perf_counter()
        added = corpus.build_dense_index()
        elapsed = time.perf_counter() - started
        figure("offline Wikipedia corpus ingestion", added / elapsed, "chunks/s", "-", True)
    else:
        sample = [a.text for a in articles[:512]]
        embeddings = load_embeddings()
        embeddings.embed_documents(sample[:32])
        started = time.perf_counter()
        embeddings.embed_documents(sample)
        figure(
            "embedding throughput (512 corpus chunks)",
            512 / (time.perf_counter() - started),
            "chunks/s",
            "-",
            True,
        )
    pairs = fanoutqa_pairs({a.title for a in articles})
    latencies = quality(corpus, pairs)
    heading("Query latency (hybrid: query embedding + HNSW + BM25 + fusion)")
    _percentiles(f"{store.count() // 1000}k chunks:", latencies)
    large_collection(corpus, [q for q, _ in pairs])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figure("peak memory (resident)", peak, "MiB", "-", True)
