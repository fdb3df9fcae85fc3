"""One embedded model server per machine: reuse, sharing, and a busy neighbour.

Every client is a process of its own that finds (or starts) the machine's server of the
default model and streams a reply, as a second terminal or a notebook would. Printed:
the first answer of the process that started the server against that of a second process
that reuses it; aggregate tokens/s with 1, 2 and 4 clients at once against one; tokens/s
of one client beside a CPU-bound neighbour process against none, and the longest wait
between two tokens (a stall would show there). The model file is copied into a scratch
folder and served from there (``TEAMGRAPH_LOCAL_MODEL_PATH``), so the benchmark has a server
of its own: the first client pays its start, and the server other runs on the machine use
is never stopped. ``TEAMGRAPH_BENCH_MODEL`` picks the model (``smollm2-135m`` or
``local:smollm2-135m``; default: ``local``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agents.llm.embedded import DEFAULT_MODEL, embedded_model
from agents.llm.llama_server import MODEL_PATH_ENV, LocalServerSettings
from agents.llm.local_server import LOCAL_SERVER
from benchmarks.report import figure, heading

TOKENS = 48
CLIENT = """
import json, sys, time, urllib.request
started = time.perf_counter()
from agents.llm.local_server import LOCAL_SERVER
url = LOCAL_SERVER.base_url()
body = {"messages": [{"role": "user", "content": "Tell the story of the bicycle."}],
        "max_tokens": int(sys.argv[1]), "ignore_eos": True, "stream": True, "seed": 1}
request = urllib.request.Request(url + "/chat/completions", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
asked = time.perf_counter()
stamps = []
with urllib.request.urlopen(request, timeout=900) as reply:
    for line in reply:
        if line.startswith(b"data: {") and b'"content"' in line:
            stamps.append(time.perf_counter())
gaps = [b - a for a, b in zip(stamps, stamps[1:])]
print(json.dumps({"first_answer": stamps[0] - started, "asked": asked - started,
                  "tokens": len(stamps), "seconds": stamps[-1] - asked,
                  "longest_gap": max(gaps, default=0.0), "end": time.time()}))
"""
NEIGHBOUR = "while True: pass"


def clients(count: int, tokens: int = TOKENS) -> tuple[list[dict[str, Any]], float]:
    """Start ``count`` clients at once; what each measured, and the wall time of all."""
    started = time.perf_counter()
    running = [
        subprocess.Popen([sys.executable, "-c", CLIENT, str(tokens)], stdout=subprocess.PIPE)
        for _ in range(count)
    ]
    results = [json.loads(p.communicate(timeout=1800)[0]) for p in running]
    return results, time.perf_counter() - started


def _rate(results: list[dict[str, Any]]) -> float:
    return sum(r["tokens"] for r in results) / max(r["seconds"] for r in results)


def _starts() -> None:
    LOCAL_SERVER.stop(DEFAULT_MODEL)
    [first], _ = clients(1, tokens=1)
    [second], _ = clients(1, tokens=1)
    figure("first answer, process that starts the server", first["first_answer"], "s", "-", True)
    figure("first answer, second process (reuses it)", second["first_answer"], "s", "-", True)
    ratio = second["first_answer"] / first["first_answer"]
    figure("  second / first", ratio, "x", "<= 0.5", ratio <= 0.5)


def _sharing() -> None:
    [alone], _ = clients(1)
    one = _rate([alone])
    figure("tokens/s, 1 client", one, "tok/s", "-", True)
    for count in (2, 4):
        together, _ = clients(count)
        rate = _rate(together)
        figure(f"aggregate tokens/s, {count} clients at once", rate, "tok/s", "-", True)
        figure(f"  {count} clients / 1 client", rate / one, "x", ">= 1.0", rate / one >= 1.0)


def _neighbour() -> None:
    [alone], _ = clients(1)
    busy = subprocess.Popen([sys.executable, "-c", NEIGHBOUR])
    try:
        [beside], _ = clients(1)
    finally:
        busy.kill()
        busy.wait()
    ratio = _rate([beside]) / _rate([alone])
    figure("tokens/s, alone", _rate([alone]), "tok/s", "-", True)
    figure("tokens/s beside a CPU-bound neighbour", _rate([beside]), "tok/s", "-", True)
    figure("  beside / alone", ratio, "x", ">= 0.4", ratio >= 0.4)
    gap = beside["longest_gap"]
    figure("  longest wait between two tokens, beside", gap, "s", "< 5 s", gap < 5)


def run() -> None:
    """Print the reuse, sharing and neighbour figures on a private server of the model."""
    name = os.environ.get("TEAMGRAPH_BENCH_MODEL", "").strip()
    model = embedded_model(name if name.startswith("local") or not name else f"local:{name}")
    source = LocalServerSettings.from_env(model).model_path
    heading(f"One embedded model server per machine ({model.name}, {TOKENS} tokens)")
    with tempfile.TemporaryDirectory(prefix="teamgraph-server-bench-") as scratch:
        private = Path(scratch) / source.name
        shutil.copyfile(source, private)
        previous = os.environ.get(MODEL_PATH_ENV)
        os.environ[MODEL_PATH_ENV] = str(private)
        try:
            _starts()
            _sharing()
            _neighbour()
        finally:
            LOCAL_SERVER.stop(DEFAULT_MODEL)
            os.environ.pop(MODEL_PATH_ENV)
            if previous is not None:
                os.environ[MODEL_PATH_ENV] = previous
