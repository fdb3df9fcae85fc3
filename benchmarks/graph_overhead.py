"""LangGraph's overhead per step: the writer team on zero-latency scripted models.

The baseline calls the same role functions in a plain loop, so the difference is what
the graph (state merging, routing, checkpoint-free Pregel steps) adds per node run.
"""

from __future__ import annotations

import json
import time

from agents.critic import critique_draft
from agents.llm.calls import RoleCaller
from agents.llm.ledger import Ledger
from agents.manager import PiecePlan, plan_piece, review_piece
from agents.writer import write_draft
from benchmarks.report import figure, heading
from graphs.writer import build_graph
from tests.fakes import ScriptedChatModel

RUNS = 200
STEPS_PER_RUN = 8
PLAN = json.dumps({"audience": "readers", "outline": ["A", "B"], "key_points": ["x"]})
CRITIQUES = [
    json.dumps({"approved": False, "score": 4, "feedback": "more"}),
    json.dumps({"approved": False, "score": 6, "feedback": "more"}),
    json.dumps({"approved": True, "score": 8, "feedback": "good"}),
]
VERDICT = json.dumps({"accept": True, "instructions": ""})
DRAFT = "A short draft about bees. " * 20


def _models() -> dict[str, ScriptedChatModel]:
    return {
        "manager": ScriptedChatModel(script=[PLAN, VERDICT], cycle=True),
        "writer": ScriptedChatModel(script=[DRAFT], cycle=True),
        "critic": ScriptedChatModel(script=CRITIQUES, cycle=True),
    }


def _direct(models: dict[str, ScriptedChatModel]) -> None:
    ledger = Ledger()
    manager, writer, critic = (
        RoleCaller(role, models[role], "scripted", ledger)
        for role in ("manager", "writer", "critic")
    )
    plan: PiecePlan = plan_piece(manager, "bees").value
    draft = write_draft(writer, "bees", plan)
    for _ in range(3):
        critique = critique_draft(critic, "bees", plan, draft).value
        if critique.approved:
            break
        draft = write_draft(writer, "bees", plan, draft, critique.feedback)
    review_piece(manager, "bees", plan, draft, critique.feedback)


def run() -> None:
    """Time both and print the per-step overhead."""
    heading(f"Graph overhead per step (zero-latency models, {RUNS} runs x {STEPS_PER_RUN} steps)")
    graph = build_graph(_models(), max_revisions=2)
    direct_models = _models()
    graph.invoke({"topic": "bees"})
    _direct(direct_models)
    started = time.perf_counter()
    for _ in range(RUNS):
        graph.invoke({"topic": "bees"})
    graph_step = (time.perf_counter() - started) / (RUNS * STEPS_PER_RUN)
    started = time.perf_counter()
    for _ in range(RUNS):
        _direct(direct_models)
    direct_step = (time.perf_counter() - started) / (RUNS * STEPS_PER_RUN)
    overhead_ms = (graph_step - direct_step) * 1000
    figure("per step through the graph", graph_step * 1000, "ms", "-", True)
    figure("per step, same calls in a plain loop", direct_step * 1000, "ms", "-", True)
    figure("graph overhead per step", overhead_ms, "ms", "< 5 ms", overhead_ms < 5)
