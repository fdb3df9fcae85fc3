"""Threads in SQLite (the default) vs PostgreSQL on loopback, measured in the same run.

Printed: the latency of one checkpoint write (p50 and p95 of a writer-team checkpoint put
again and again) and whole writer-team runs per second on threads with the run ledger in
the store, against a scripted model server answering at once. PostgreSQL runs with fsync
on, as SQLite's default does. Needs PostgreSQL (``make deploy-env``).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base.id import uuid6

from benchmarks.report import figure, heading
from graphs.threads import postgres
from graphs.threads.storage import open_checkpointer, open_store
from graphs.writer import build_graph
from tests.fake_openai_server import FakeOpenAIServer
from tests.services import PostgresServer, missing

PUTS = 300
RUNS = 20
ROLES = ("manager", "writer", "critic")


def _checkpoint(saver: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The last checkpoint of one writer run: what each step of a real run writes."""
    last = next(iter(saver.list(None)))
    return last.checkpoint, last.metadata, dict(last.checkpoint["channel_versions"])


def _put_latency(saver: Any, model: tuple[Any, Any, dict[str, Any]]) -> list[float]:
    checkpoint, metadata, versions = model
    thread = uuid.uuid4().hex
    config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    seconds = []
    for _ in range(PUTS):
        fresh = {**checkpoint, "id": str(uuid6())}
        started = time.perf_counter()
        config = saver.put(config, fresh, metadata, versions)
        seconds.append(time.perf_counter() - started)
    return seconds


def _runs_per_second(saver: Any, store: Any) -> float:
    graph = build_graph(dict.fromkeys(ROLES, "openai:fake"), checkpointer=saver, store=store)
    started = time.perf_counter()
    for n in range(RUNS):
        config = {"configurable": {"thread_id": f"bench-{uuid.uuid4().hex}-{n}"}}
        graph.invoke({"topic": "why bees matter"}, config, durability="sync")
    return RUNS / (time.perf_counter() - started)


def _p(seconds: list[float], share: float) -> float:
    return statistics.quantiles(seconds, n=100)[int(share * 100) - 1] * 1000


def run() -> None:
    """Print checkpoint write latency and runs/s, SQLite vs PostgreSQL."""
    heading("threads: SQLite vs PostgreSQL (python -m benchmarks postgres)")
    reason = missing("postgres")
    if reason:
        print(f"  skipped: {reason}")
        return
    with (
        PostgresServer(fsync=True) as pg,
        FakeOpenAIServer(latency_s=0.0) as fake,
        tempfile.TemporaryDirectory() as folder,
    ):
        os.environ.update(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="fake")
        sqlite = Path(folder) / "checkpoints.sqlite"
        backends = {
            "SQLite": (open_checkpointer(sqlite), open_store(sqlite)),
            "PostgreSQL": (postgres.open_checkpointer(pg.url()), postgres.open_store(pg.url())),
        }
        measured = {}
        for name, (saver, store) in backends.items():
            rate = _runs_per_second(saver, store)
            puts = _put_latency(saver, _checkpoint(saver))
            measured[name] = (_p(puts, 0.5), _p(puts, 0.95), rate)
        for name, (p50, p95, rate) in measured.items():
            figure(f"{name}: checkpoint write p50", p50, "ms", "-", True)
            figure(f"{name}: checkpoint write p95", p95, "ms", "-", True)
            figure(f"{name}: writer runs per second", rate, "runs/s", "-", True)
        sql, pgs = measured["SQLite"], measured["PostgreSQL"]
        figure("PostgreSQL / SQLite checkpoint write p50", pgs[0] / sql[0], "x", "-", True)
        slower = pgs[1] / sql[1]
        figure("PostgreSQL / SQLite checkpoint write p95", slower, "x", "<= 5", slower <= 5)
        rate = pgs[2] / sql[2]
        figure("PostgreSQL / SQLite writer runs per second", rate, "x", ">= 0.5", rate >= 0.5)
