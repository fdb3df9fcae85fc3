"""Wall time of the writer team on the embedded model, short topic, at most 2 revisions."""

from __future__ import annotations

import time

from agents.llm.local_server import LOCAL_SERVER
from benchmarks.report import figure, heading
from graphs.writer import build_graph

TOPIC = "why bees matter"
MAX_REVISIONS = 2
TARGET_S = 60.0


def run() -> None:
    """Run the team once (after starting the model) and print its wall time."""
    heading(f"Writer team on the embedded model ({TOPIC!r}, max_revisions={MAX_REVISIONS})")
    LOCAL_SERVER.base_url()
    graph = build_graph(max_revisions=MAX_REVISIONS)
    started = time.perf_counter()
    state = graph.invoke({"topic": TOPIC})
    wall = time.perf_counter() - started
    calls = sum(role["calls"] for role in state["usage"].values())
    tokens = sum(role["output_tokens"] for role in state["usage"].values())
    print(
        f"  {len(state['drafts'])} drafts, {state['revisions']} revisions, {calls} model calls, "
        f"{tokens} output tokens, stopped: {state['stop_reason']}"
    )
    figure("team wall time", wall, "s", f"< {TARGET_S:.0f} s", wall < TARGET_S)
