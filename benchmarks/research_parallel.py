"""The research team's executor: parallel vs sequential, and dependency-scoped context.

A fake OpenAI-compatible server with a fixed latency per call serves a plan of four
independent look-ups (tool choice, queries, answer: three calls each) and one task that
combines their results (tool choice, answer: two calls). Printed: the executor phase's
wall time in parallel (max_concurrency 4) vs sequential (max_concurrency 1) beside the
ceiling the plan allows, the same when the last task searches too, the whole run vs its
critical-path lower bound, the peak of model requests in flight, and the executor's
input tokens vs a baseline that hands every task all earlier results. Then a slow task
(1.2 s per call) beside a chain of three quick ones (0.5 s per call): the task phase
against its critical path (the slowest chain of task calls), where a step barrier would
make the chain wait for the slow task.
A first run, not measured, loads the model clients and opens the connections.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.fake_provider import fake_provider
from benchmarks.report import figure, heading
from graphs.research import build_graph
from tests.fake_openai_server import FOUR_AND_ONE, FakeOpenAIServer
from tests.fakes import make_instant_search

LATENCY_S = 0.2
ROLES = ("decider", "planner", "executor", "finalizer")
NO_SUMMARIES = 1_000_000
SLOW = "Slowly"
CHAIN_LATENCY_S = 0.5
"""Per call of the quick tasks beside the slow one (long against a call's own overhead)."""
SLOW_LATENCY_S = 1.2
SLOW_BESIDE_A_CHAIN = [
    {"id": 1, "query": f"{SLOW} survey every World Cup final", "dependency": []},
    {"id": 2, "query": "Which country hosted the 2002 World Cup?", "dependency": []},
    {"id": 3, "query": "Which team won the World Cup that country hosted?", "dependency": [2]},
    {"id": 4, "query": "Who captained that team in the final?", "dependency": [3]},
]
EVERY_TASK_SEARCHES = [
    *FOUR_AND_ONE[:4],
    {**FOUR_AND_ONE[4], "query": "Look up the hosts and winners as one table"},
]


def _run(server: FakeOpenAIServer, concurrency: int, scope: str) -> dict[str, Any]:
    server.reset_counts()
    graph = build_graph(
        dict.fromkeys(ROLES, "openai:fake"),
        tools=[make_instant_search()],
        max_concurrency=concurrency,
        context_scope=scope,  # type: ignore[arg-type]
        context_chars=NO_SUMMARIES,
        tool_policy="model",
    )
    marks: dict[str, float] = {}
    started = time.perf_counter()
    state: dict[str, Any] = {}
    for mode, payload in graph.stream(
        {"question": "Name the host and winner of the 2002 and 2006 World Cups."},
        stream_mode=["updates", "values"],
    ):
        now = time.perf_counter() - started
        if mode == "values":
            state = dict(payload)
        elif "plan" in payload:
            marks["executor_start"] = now
        elif "reflect" in payload:
            marks.setdefault("executor_end", marks.get("last_execute", now))
        if mode == "updates" and "execute" in payload:
            marks["last_execute"] = now
    total = time.perf_counter() - started
    return {
        "total": total,
        "executor": marks["last_execute"] - marks["executor_start"],
        "peak": server.peak_in_flight,
        "state": state,
    }


def _task_chain_calls(state: dict[str, Any]) -> tuple[int, int]:
    """Executor calls in all, and along the longest dependency chain of tasks."""
    records = {int(k): r for k, r in state["tasks"].items()}
    longest: dict[int, int] = {}
    for task in state["plan"]:
        before = max((longest[d] for d in task["dependency"]), default=0)
        longest[task["id"]] = before + records[task["id"]]["usage"]["calls"]
    return sum(r["usage"]["calls"] for r in records.values()), max(longest.values())


def _slow_latency(prompt: str) -> float | None:
    """The slow task's calls take longer than every other call."""
    return SLOW_LATENCY_S if f"Sub-task: {SLOW}" in prompt else CHAIN_LATENCY_S


def _task_critical_path_s(state: dict[str, Any]) -> tuple[float, float]:
    """Seconds of the slowest dependency chain of task calls, and what a step barrier needs.

    A barrier runs the tasks wave by wave (a task's wave: one more than its latest
    dependency's); each wave lasts as long as its slowest task.
    """
    records = {int(k): r for k, r in state["tasks"].items()}
    own = {
        i: r["usage"]["calls"] * (_slow_latency(f"Sub-task: {r['query']}") or CHAIN_LATENCY_S)
        for i, r in records.items()
    }
    finish: dict[int, float] = {}
    wave: dict[int, int] = {}
    for task in state["plan"]:
        deps = task["dependency"]
        finish[task["id"]] = max((finish[d] for d in deps), default=0.0) + own[task["id"]]
        wave[task["id"]] = max((wave[d] for d in deps), default=-1) + 1
    barrier = sum(max(own[i] for i in wave if wave[i] == number) for number in set(wave.values()))
    return max(finish.values()), barrier


def _slow_beside_a_chain(server: FakeOpenAIServer) -> dict[str, Any]:
    """Run a slow task beside a chain of three quick ones."""
    server.plan, server.latency_for = SLOW_BESIDE_A_CHAIN, _slow_latency
    try:
        return _run(server, 4, "dependencies")
    finally:
        server.plan, server.latency_for = FOUR_AND_ONE, None


def _print_chain(result: dict[str, Any]) -> None:
    """Print the task phase of the slow task beside a chain against its critical path."""
    critical, barrier = _task_critical_path_s(result["state"])
    ratio = result["executor"] / critical
    figure("slow task beside a chain: task phase", result["executor"], "s", "-", True)
    figure("  critical path of the tasks", critical, "s", "-", True)
    figure("  what a step barrier would need", barrier, "s", "-", True)
    figure("  task phase / critical path", ratio, "x", "<= 1.1", ratio <= 1.1)


def _critical_path_calls(state: dict[str, Any]) -> int:
    """Model calls that must run one after another.

    The decider, the planner (plan and reflection), the finalizer, and the longest
    dependency chain of task calls.
    """
    serial = sum(state["usage"][role]["calls"] for role in ("decider", "planner", "finalizer"))
    return serial + _task_chain_calls(state)[1]


def run() -> None:
    """Start the fake server, run the three configurations and print the figures."""
    heading(
        f"Research executor on a fake OpenAI-compatible server ({LATENCY_S * 1000:.0f} ms per call)"
    )
    with fake_provider(LATENCY_S) as server:
        _run(server, 4, "dependencies")
        parallel = _run(server, 4, "dependencies")
        sequential = _run(server, 1, "dependencies")
        baseline = _run(server, 1, "all")
        server.plan = EVERY_TASK_SEARCHES
        searching = _run(server, 4, "dependencies")
        searching_sequential = _run(server, 1, "dependencies")
        server.plan = FOUR_AND_ONE
        slow_and_chain = _slow_beside_a_chain(server)
    speedup = sequential["executor"] / parallel["executor"]
    bound = _critical_path_calls(parallel["state"]) * LATENCY_S
    ours = parallel["state"]["usage"]["executor"]["input_tokens"]
    theirs = baseline["state"]["usage"]["executor"]["input_tokens"]
    figure("executor wall time, parallel (4)", parallel["executor"], "s", "-", True)
    figure("executor wall time, sequential (1)", sequential["executor"], "s", "-", True)
    calls, chain = _task_chain_calls(parallel["state"])
    figure("speedup ceiling (executor calls / longest chain)", calls / chain, "x", "-", True)
    figure("executor speedup parallel vs sequential", speedup, "x", ">= 2.5", speedup >= 2.5)
    calls, chain = _task_chain_calls(searching["state"])
    figure("  when task 5 searches too: ceiling", calls / chain, "x", "-", True)
    figure(
        "  when task 5 searches too: speedup",
        searching_sequential["executor"] / searching["executor"],
        "x",
        "-",
        True,
    )
    figure("whole run, parallel", parallel["total"], "s", "-", True)
    figure("critical-path lower bound", bound, "s", "-", True)
    figure(
        "whole run / lower bound",
        parallel["total"] / bound,
        "x",
        "<= 1.2",
        parallel["total"] / bound <= 1.2,
    )
    figure("peak model requests in flight", parallel["peak"], "", "= 4", parallel["peak"] == 4)
    figure("executor input tokens, dependencies only", ours, "tok", "-", True)
    figure("executor input tokens, all earlier results", theirs, "tok", "-", True)
    figure("input tokens saved (baseline / ours)", theirs / ours, "x", ">= 2", theirs / ours >= 2)
    _print_chain(slow_and_chain)
