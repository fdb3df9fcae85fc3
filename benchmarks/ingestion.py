"""Ingestion against the embedding model: does the knowledge base keep up with MiniLM?

Real-length documents: lead extracts of the offline Wikipedia corpus, joined a few to a
file (a few thousand characters each, several chunks). The same chunks are embedded by
raw MiniLM (one call over all the texts: what the model alone needs) and ingested with
``teamgraph ingest``'s code into a fresh collection (hashing, chunking, embedding, the
Chroma writes). Raw runs before and after the ingestion, and their mean is the baseline;
chunks per wall second and per CPU second are printed for both.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.report import figure, heading
from tools.embeddings import MiniLMEmbeddings
from tools.ingest import chunk_file, file_hash, ingest
from tools.knowledge_store import KnowledgeStore
from tools.wiki_corpus import load_articles

FILES = 60
ARTICLES_PER_FILE = 5


def write_documents(folder: Path) -> list[Path]:
    """``FILES`` text files of ``ARTICLES_PER_FILE`` articles each."""
    articles = [a for a in load_articles() if len(a.extract) > 400]
    paths = []
    for number in range(FILES):
        chosen = articles[number * ARTICLES_PER_FILE : (number + 1) * ARTICLES_PER_FILE]
        path = folder / f"doc-{number:03d}.txt"
        path.write_text("\n\n".join(f"{a.title}\n\n{a.extract}" for a in chosen), encoding="utf-8")
        paths.append(path)
    return paths


def _timed(work: object) -> tuple[float, float]:
    """Wall and CPU seconds of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def run() -> None:
    """Print chunks/s of raw MiniLM and of ingestion on the same chunks, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="teamgraph-ingest-bench-") as scratch:
        folder = Path(scratch)
        paths = write_documents(folder)
        texts = [c.text for p in paths for c in chunk_file(p, file_hash(p))]
        heading(f"Ingestion vs raw MiniLM ({len(paths)} files, {len(texts)} chunks)")
        embeddings = MiniLMEmbeddings()
        embeddings.embed_array(texts[:32])
        store = KnowledgeStore("bench-ingest", home=folder / "home", embeddings=embeddings)
        raw_before = _timed(lambda: embeddings.embed_array(texts))
        ingested = _timed(lambda: ingest(paths, store))
        raw_after = _timed(lambda: embeddings.embed_array(texts))
    raw_wall = (raw_before[0] + raw_after[0]) / 2
    raw_cpu = (raw_before[1] + raw_after[1]) / 2
    count = len(texts)
    figure("raw MiniLM", count / raw_wall, "chunks/s", "-", True)
    figure("ingestion", count / ingested[0], "chunks/s", "-", True)
    ratio = raw_wall / ingested[0]
    figure("ingestion / raw (wall)", ratio, "x", ">= 0.8", ratio >= 0.8)
    figure("raw MiniLM per CPU second", count / raw_cpu, "chunks", "-", True)
    figure("ingestion per CPU second", count / ingested[1], "chunks", "-", True)
    figure("ingestion / raw (CPU)", raw_cpu / ingested[1], "x", "-", True)
