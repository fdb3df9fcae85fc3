"""What each embedded model can do, and whether the team beats one call of it.

For every embedded model (or those in ``TEAMGRAPH_BENCH_MODELS``, comma-separated):

- ``throughput``: tokens per second through teamgraph (200 tokens, median of 2 rounds);
- ``demo``: wall time of ``make demo``'s job (``teamgraph write "why bees matter"
  --max-revisions 2``) in a fresh process, model start included;
- ``critic``: agreement of the Critic with the labels of the good and bad drafts in
  ``benchmarks/data/critic_drafts.jsonl``;
- ``research``: the research team vs one call of the same model on the first
  ``TEAMGRAPH_BENCH_QUESTIONS`` (20) FanOutQA dev questions, offline: token F1 and
  evidence recall (the share of a question's gold pages among the sources used);
- ``support``: pass^1 of the support desk on ``TEAMGRAPH_BENCH_TICKETS`` (14) tickets of
  its suite, the first of each category in turn, one trial each;
- across critic, research and support: the share of decisions that validated on the
  first ask, were re-asked, or fell back.

``TEAMGRAPH_BENCH_PARTS`` picks parts. Each model's figures are saved as they come in
``benchmarks/results/quality.json``; the table is printed at the end. On 2 cores the
default model takes about an hour and a half, the 135M model about twenty minutes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agents.llm.embedded import CATALOGUE, EmbeddedModel
from benchmarks import decision_tally
from benchmarks.report import heading

RESULTS = Path(__file__).parent / "results" / "quality.json"
DRAFTS = Path(__file__).parent / "data" / "critic_drafts.jsonl"
PARTS = ("throughput", "demo", "critic", "research", "support")


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


def throughput(model: EmbeddedModel) -> dict[str, Any]:
    """Tokens per second through teamgraph."""
    from benchmarks.local_throughput import rates

    start_s, _, team = rates(model, rounds=2)
    return {"tokens_per_s": round(team, 2), "start_s": round(start_s, 2)}


def demo(model: EmbeddedModel) -> dict[str, Any]:
    """The README's main job, timed as a whole process."""
    command = [sys.executable, "-m", "graphs.cli", "write", "why bees matter"]
    command += ["--max-revisions", "2", "--model", model.setting, "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - started
    report = json.loads(done.stdout) if done.returncode == 0 else {}
    return {
        "demo_s": round(wall, 1),
        "demo_exit": done.returncode,
        "demo_stop": report.get("stop_reason"),
        "demo_words": len(str(report.get("text", "")).split()),
    }


def critic(model: EmbeddedModel) -> dict[str, Any]:
    """Share of drafts where the Critic's verdict matches the label."""
    from agents.critic import critique_draft
    from agents.llm.calls import RoleCaller
    from agents.llm.ledger import Ledger
    from agents.llm.models import load_chat_model
    from agents.manager import PiecePlan

    caller = RoleCaller("critic", load_chat_model(model.setting), model.setting, Ledger())
    agree = 0
    drafts = [json.loads(line) for line in DRAFTS.read_text(encoding="utf-8").splitlines()]
    for item in drafts:
        plan = PiecePlan(
            audience=item["audience"], outline=item["outline"], key_points=item["key_points"]
        )
        verdict = critique_draft(caller, item["topic"], plan, item["draft"]).value
        agree += verdict.approved == item["good"]
    return {"critic_agreement": round(agree / len(drafts), 3), "critic_drafts": len(drafts)}


def research(model: EmbeddedModel) -> dict[str, Any]:
    """The research team vs one call: F1 and evidence recall, offline."""
    from agents.llm.models import load_chat_model
    from graphs.evaluation.datasets import fanoutqa_dev
    from graphs.evaluation.report import summary
    from graphs.evaluation.runner import evaluate
    from graphs.registry import team_spec
    from tools.built_in_tools import default_toolbox
    from tools.wikipedia_search import WikipediaLookup

    questions = fanoutqa_dev()[: _env_int("TEAMGRAPH_BENCH_QUESTIONS", 20)]
    spec = team_spec("research")
    tools = default_toolbox(wikipedia=WikipediaLookup(online=None)).tools
    graph = spec.build_graph(dict.fromkeys(spec.roles, model.setting), tools=tools)
    chat = load_chat_model(model.setting)

    def progress(row: Any) -> None:
        print(f"    {row['id']}: team F1 {row['team']['scores']['f1']:.2f}", flush=True)

    rows = evaluate(questions, spec, graph, chat, model.setting, progress)
    totals = summary(rows)
    return {
        "questions": len(rows),
        "team_f1": round(totals["team"]["f1"], 3),
        "single_f1": round(totals["baseline"]["f1"], 3),
        "team_evidence_recall": round(totals["team"]["evidence_recall"], 3),
        "single_evidence_recall": round(totals["baseline"]["evidence_recall"], 3),
        "team_s": round(totals["team"]["seconds"], 1),
        "team_calls": round(totals["team"]["calls"], 1),
        "errors": int(totals["team"]["errors"]),
    }


def _tickets(count: int) -> list[Any]:
    """The first ticket of each category, then the second of each, ... up to ``count``."""
    from graphs.evaluation.support_suite import load_suite

    queues: dict[str, list[Any]] = {}
    for ticket in load_suite():
        queues.setdefault(ticket.category, []).append(ticket)
    chosen: list[Any] = []
    while len(chosen) < count and any(queues.values()):
        for queue in queues.values():
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


def support(model: EmbeddedModel) -> dict[str, Any]:
    """pass^1 of the support desk on a subset of its suite."""
    from langgraph.checkpoint.memory import InMemorySaver

    from graphs.evaluation.support_runner import run_suite
    from graphs.registry import team_spec

    tickets = _tickets(_env_int("TEAMGRAPH_BENCH_TICKETS", 14))
    spec = team_spec("support")
    graph = spec.build_graph(dict.fromkeys(spec.roles, model.setting), checkpointer=InMemorySaver())

    def progress(result: Any) -> None:
        verdict = "pass" if result["passed"] else "fail"
        print(f"    {result['id']}: {verdict} ({result['seconds']:.0f}s)", flush=True)

    results = run_suite(graph, tickets, 1, progress)
    failures = Counter(f.split(":")[0] for r in results for f in r["failures"])
    return {
        "tickets": len(results),
        "support_pass1": round(statistics.fmean(r["passed"] for r in results), 3),
        "support_s": round(statistics.fmean(r["seconds"] for r in results), 1),
        "support_failures": dict(failures.most_common(5)),
    }


MEASURES: dict[str, Callable[[EmbeddedModel], dict[str, Any]]] = {
    "throughput": throughput,
    "demo": demo,
    "critic": critic,
    "research": research,
    "support": support,
}


def _save(results: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _chosen(variable: str, known: tuple[str, ...] | list[str]) -> list[str]:
    raw = os.environ.get(variable, "").strip()
    return [name.strip() for name in raw.split(",")] if raw else list(known)


def measure_model(model: EmbeddedModel, parts: list[str], results: dict[str, Any]) -> None:
    """Every chosen part for ``model``, saved after each."""
    figures: dict[str, Any] = results.setdefault(model.name, {})
    with decision_tally.counting() as tally:
        for part in parts:
            heading(f"{model.name}: {part}")
            started = time.perf_counter()
            figures[part] = MEASURES[part](model)
            figures[part]["part_s"] = round(time.perf_counter() - started, 1)
            figures["decisions"] = tally.shares()
            print(f"  {figures[part]}", flush=True)
            _save(results)


def run() -> None:
    """Measure every chosen model and part, then print the table."""
    os.environ.setdefault("TEAMGRAPH_OFFLINE", "1")
    os.environ.setdefault("TEAMGRAPH_HOME", tempfile.mkdtemp(prefix="teamgraph-bench-"))
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    parts = _chosen("TEAMGRAPH_BENCH_PARTS", PARTS)
    for name in _chosen("TEAMGRAPH_BENCH_MODELS", list(CATALOGUE)):
        measure_model(CATALOGUE[name], parts, results)
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    """One row per model: the figures of every part measured."""
    heading("Embedded models: what they can do, and the team against one call")
    columns = [
        ("tok/s", "throughput", "tokens_per_s"),
        ("demo s", "demo", "demo_s"),
        ("critic agreement", "critic", "critic_agreement"),
        ("research F1 team", "research", "team_f1"),
        ("F1 one call", "research", "single_f1"),
        ("evidence recall team", "research", "team_evidence_recall"),
        ("recall one call", "research", "single_evidence_recall"),
        ("support pass^1", "support", "support_pass1"),
        ("decisions first try", "decisions", "first_try"),
    ]
    print("| model | " + " | ".join(title for title, _, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, figures in results.items():
        cells = [str(figures.get(part, {}).get(key, "-")) for _, part, key in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")
