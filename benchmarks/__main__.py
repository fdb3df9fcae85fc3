"""Run every benchmark, or those named: ``python -m benchmarks [NAME ...]``."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("LANGSMITH_TRACING", "false")

from benchmarks import (  # noqa: E402
    cjk_retrieval,
    cli_startup,
    compose_render,
    embedded_quality,
    eval_concurrency,
    graph_overhead,
    ingestion,
    local_memory,
    local_throughput,
    research_parallel,
    retrieval,
    served_runs,
    shared_server,
    thread_storage,
    tool_concurrency,
    vector_server,
    warm_indexes,
    writer_wall_time,
)

SUITES = {
    "startup": cli_startup.run,
    "overhead": graph_overhead.run,
    "throughput": local_throughput.run,
    "server": shared_server.run,
    "memory": local_memory.run,
    "writer": writer_wall_time.run,
    "retrieval": retrieval.run,
    "cjk": cjk_retrieval.run,
    "ingest": ingestion.run,
    "indexes": warm_indexes.run,
    "research": research_parallel.run,
    "eval": eval_concurrency.run,
    "compose": compose_render.run,
    "tools": tool_concurrency.run,
    "quality": embedded_quality.run,
    "postgres": thread_storage.run,
    "chroma": vector_server.run,
    "aegra": served_runs.run,
}


NAMED_ONLY = ("quality",)
"""Suites that take hours on the embedded model: run only when named."""


def main(names: list[str]) -> int:
    """Run the named suites (by default all but :data:`NAMED_ONLY`)."""
    unknown = [name for name in names if name not in SUITES]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    for name in names or [name for name in SUITES if name not in NAMED_ONLY]:
        SUITES[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
