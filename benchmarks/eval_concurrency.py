"""Evaluation with several questions at once, on a fake server with a fixed latency per call.

The research team and the single-call baseline answer 20 FanOutQA questions on a fake
OpenAI-compatible server (0.3 s per call): one question at a time, then four at once, in
this process; the scores must be the same. Then ``teamgraph eval`` itself, as a user runs
it, four at once: the share of its wall time spent outside the questions (starting,
loading, writing the reports), with the project's compiled modules kept as on a user's
machine (:mod:`benchmarks.user_process`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from typing import Any

from agents.llm.models import load_chat_model
from benchmarks.fake_provider import fake_provider
from benchmarks.report import figure, heading
from benchmarks.user_process import compile_project, user_environment
from graphs.evaluation.datasets import FANOUTQA_DEV, load
from graphs.evaluation.runner import Row, evaluate
from graphs.registry import team_spec
from tests.fakes import make_instant_search

LATENCY_S = 0.3
QUESTIONS = 20
MODEL = "openai:fake"


def _scores(rows: list[Row]) -> list[Any]:
    return [(r["id"], r["team"]["scores"], r["baseline"]["scores"]) for r in rows]


def _in_process(concurrency: int) -> tuple[float, list[Row]]:
    spec = team_spec("research")
    graph = spec.build_graph(dict.fromkeys(spec.roles, MODEL), tools=[make_instant_search()])
    questions = load(FANOUTQA_DEV)[:QUESTIONS]
    started = time.perf_counter()
    rows = evaluate(questions, spec, graph, load_chat_model(MODEL), MODEL, concurrency=concurrency)
    return time.perf_counter() - started, rows


def _command(environment: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of ``teamgraph eval`` (4 at once) and the seconds it spent on questions."""
    with tempfile.TemporaryDirectory(prefix="teamgraph-eval-bench-") as scratch:
        argv = ["eval", "--limit", str(QUESTIONS), "--model", MODEL, "--concurrency", "4"]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "graphs.cli", *argv, "--out", scratch, "--json"],
            env={**environment, "TEAMGRAPH_HOME": scratch, "TEAMGRAPH_OFFLINE": "1"},
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
    return wall, float(json.loads(done.stdout)["questions_s"])


def run() -> None:
    """Print the speed-up of four questions at once and the share outside the questions."""
    heading(f"Evaluation, {QUESTIONS} questions, {LATENCY_S * 1000:.0f} ms per call")
    with fake_provider(LATENCY_S):
        one_s, one_rows = _in_process(1)
        four_s, four_rows = _in_process(4)
        compile_project()
        wall, answering = _command(user_environment())
    figure("one question at a time", one_s, "s", "-", True)
    figure("four at once", four_s, "s", "-", True)
    figure("  speed-up", one_s / four_s, "x", ">= 3", one_s / four_s >= 3)
    same = _scores(one_rows) == _scores(four_rows)
    figure("  scores the same at 1 and 4 (1 = yes)", float(same), "", "= 1", same)
    outside = (wall - answering) / wall
    figure("teamgraph eval, four at once: wall", wall, "s", "-", True)
    figure("  of which answering the questions", answering, "s", "-", True)
    figure("  share outside the questions", outside, "", "<= 0.10", outside <= 0.10)
