"""The knowledge base embedded (the default) vs on a ``chroma run`` server on loopback.

The same 1,000 chunks of the offline Wikipedia corpus, with the same vectors, go into an
embedded collection and a server's; then the same 200 questions (FanOutQA dev
sub-questions) are asked of each. Printed: hybrid query latency p50 and p95 (query
embedding, HNSW, BM25 and fusion, as the knowledge_base tool asks) for each, and the
ratios. The server answers over HTTP (a round trip per query and per fetch of passages).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.report import figure, heading
from benchmarks.retrieval import fanoutqa_pairs, query_latencies
from tests.services import ChromaServer
from tools.chroma_server import server_client
from tools.embeddings import load_embeddings
from tools.knowledge_store import Chunk, KnowledgeStore
from tools.wiki_corpus import load_articles

CHUNKS = 1000
QUESTIONS = 200


def run() -> None:
    """Print hybrid query p50/p95, embedded vs server."""
    heading("knowledge base: embedded vs Chroma server (python -m benchmarks chroma)")
    corpus = load_articles()
    articles = corpus[:CHUNKS]
    embeddings = load_embeddings()
    chunks = [Chunk(a.id, a.text, {"source": a.title, "title": a.title}) for a in articles]
    vectors = np.asarray(embeddings.embed_documents([c.text for c in chunks]), dtype=np.float32)
    questions = [q for q, _ in fanoutqa_pairs({a.title for a in corpus})][:QUESTIONS]
    with ChromaServer() as chroma, tempfile.TemporaryDirectory() as home:
        stores = {
            "embedded": KnowledgeStore("bench", home=Path(home), embeddings=embeddings),
            "server": KnowledgeStore(
                "bench", client=server_client(chroma.url), embeddings=embeddings
            ),
        }
        p50, p95 = {}, {}
        for name, store in stores.items():
            store.add(chunks, vectors)
            seconds = query_latencies(store, questions)
            p50[name] = statistics.median(seconds) * 1000
            p95[name] = float(np.percentile(seconds, 95)) * 1000
            figure(f"{name}: hybrid query p50", p50[name], "ms", "-", True)
            figure(f"{name}: hybrid query p95", p95[name], "ms", "< 100 ms", p95[name] < 100)
        figure(
            "server / embedded hybrid query p50", p50["server"] / p50["embedded"], "x", "-", True
        )
        ratio = p95["server"] / p95["embedded"]
        figure("server / embedded hybrid query p95", ratio, "x", "<= 3", ratio <= 3)
