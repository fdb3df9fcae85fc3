"""Runs per second of ``teamgraph serve`` with one worker, then two, in the same run.

Each deployment is PostgreSQL and Redis on loopback and Aegra workers from the Python
3.12 environment, the teams on a scripted model server. Writer-team runs (4 model calls
each) are submitted at once through langgraph_sdk, each on its own thread, after a warm-up;
printed: runs per second with 1 and with 2 workers, and the ratio, in two settings:

- model-bound: each worker runs 2 at a time and the model answers after 250 ms, so the
  workers' run slots, not the processor, set the pace: the ratio shows the queue sharing
  the work between workers (at most 2 runs/s per worker);
- Aegra's defaults (3 job loops of 10 runs per worker) and a 50 ms model, so the processor
  sets the pace: the ratio shows what a second process gains on this machine's cores.

Needs ``make deploy-env``.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from dataclasses import dataclass

from langgraph_sdk import get_sync_client

from benchmarks.report import figure, heading
from tests.fake_openai_server import FakeOpenAIServer
from tests.services import PostgresServer, RedisServer, TeamgraphServe, missing

TERMINAL = ("success", "error", "interrupted", "timeout")


def _submit_and_wait(url: str, count: int) -> float:
    """Seconds from submitting ``count`` writer runs to the last one finished."""
    client = get_sync_client(url=url, timeout=(30, 300, 30, 30))
    started = time.perf_counter()
    runs = [
        (
            thread,
            client.runs.create(thread, "writer", input={"topic": thread}, if_not_exists="create"),
        )
        for thread in (f"bench-{uuid.uuid4().hex[:12]}" for _ in range(count))
    ]
    for thread, run in runs:
        while (status := client.runs.get(thread, run["run_id"])["status"]) not in TERMINAL:
            time.sleep(0.2)
        if status != "success":
            raise RuntimeError(f"a benchmark run ended {status}")
    return time.perf_counter() - started


@dataclass(frozen=True)
class Setting:
    """How much work a worker takes at once, how slow the model is, how many runs."""

    name: str
    aegra: dict[str, str]
    """Aegra's settings of its job loops (each worker has WORKER_COUNT loops of N jobs)."""
    latency_s: float
    runs: int
    warm_up: int
    target: float
    """The least ratio of runs per second, 2 workers over 1, expected."""


SETTINGS = (
    Setting(
        name="model-bound (2 runs at once per worker, 250 ms calls)",
        aegra={"WORKER_COUNT": "1", "N_JOBS_PER_WORKER": "2"},
        latency_s=0.25,
        runs=24,
        warm_up=4,
        target=1.6,
    ),
    Setting(
        name="Aegra's defaults (30 runs at once per worker, 50 ms calls)",
        aegra={},
        latency_s=0.05,
        runs=40,
        warm_up=6,
        target=1.0,
    ),
)


def _runs_per_second(workers: int, setting: Setting, fake: FakeOpenAIServer) -> float:
    with PostgresServer() as pg, RedisServer() as redis, tempfile.TemporaryDirectory() as home:
        environment = {
            **os.environ,
            "TEAMGRAPH_HOME": home,
            "TEAMGRAPH_OFFLINE": "1",
            "TEAMGRAPH_MODEL": "openai:fake",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "fake",
            "TEAMGRAPH_CHECKPOINT_URL": pg.url(),
            **setting.aegra,
        }
        with TeamgraphServe(environment, workers=workers, redis=redis.url) as serve:
            _submit_and_wait(serve.url, setting.warm_up)
            return setting.runs / _submit_and_wait(serve.url, setting.runs)


def run() -> None:
    """Print runs per second with 1 and 2 workers, and their ratio."""
    heading("served runs: teamgraph serve with 1 and 2 workers (python -m benchmarks aegra)")
    reason = missing("postgres", "redis", "aegra")
    if reason:
        print(f"  skipped: {reason}")
        return
    for setting in SETTINGS:
        print(f"  {setting.name}", flush=True)
        with FakeOpenAIServer(latency_s=setting.latency_s) as fake:
            rates = {workers: _runs_per_second(workers, setting, fake) for workers in (1, 2)}
        for workers, rate in rates.items():
            figure(f"{workers} worker(s): writer runs per second", rate, "runs/s", "-", True)
        ratio = rates[2] / rates[1]
        target = setting.target
        figure("2 workers / 1 worker, runs per second", ratio, "x", f">= {target}", ratio >= target)
