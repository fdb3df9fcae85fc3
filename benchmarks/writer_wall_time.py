"""Wall time of the writer team on each embedded model, short topic, at most 2 revisions."""

from __future__ import annotations

import time

from agents.llm.embedded import CATALOGUE
from agents.llm.local_server import LOCAL_SERVER
from benchmarks.report import figure, heading
from graphs.writer import ROLES, build_graph

TOPIC = "why bees matter"
MAX_REVISIONS = 2
TARGET_S = {"qwen2.5-coder-1.5b": 300.0, "smollm2-135m": 60.0}
"""The default model must write the demo piece within 5 minutes on 2 cores."""


def run() -> None:
    """Run the team once per model (after starting it) and print its wall time."""
    for name, model in CATALOGUE.items():
        heading(f"Writer team on {name} ({TOPIC!r}, max_revisions={MAX_REVISIONS})")
        LOCAL_SERVER.base_url(model)
        graph = build_graph(dict.fromkeys(ROLES, model.setting), max_revisions=MAX_REVISIONS)
        started = time.perf_counter()
        state = graph.invoke({"topic": TOPIC})
        wall = time.perf_counter() - started
        calls = sum(role["calls"] for role in state["usage"].values())
        tokens = sum(role["output_tokens"] for role in state["usage"].values())
        print(
            f"  {len(state['drafts'])} drafts, {state['revisions']} revisions, {calls} model "
            f"calls, {tokens} output tokens, stopped: {state['stop_reason']}"
        )
        target = TARGET_S[name]
        figure("team wall time", wall, "s", f"< {target:.0f} s", wall < target)
