"""How fast ``teamgraph`` starts: commands that never run a team, against ``python -c pass``.

Each command runs as a new process (the console script, as a user types it) a few times;
the median CPU seconds (user + system, which a busy shared machine does not inflate the
way it inflates wall time) and the median wall seconds are printed, with the CPU ratio to
``python -c pass`` measured in the same run. Targets: ``--version`` at most 0.5 s and an
argument error at most 0.7 s. ``graphs`` draws every team (it builds them) and ``doctor``
checks models and tools, so they carry no target. The commands run as on a user's machine,
with the project's compiled modules kept (:mod:`benchmarks.user_process`).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.report import figure, heading
from benchmarks.user_process import compile_project, user_environment

RUNS = 5
TARGETS = {"--version": 0.5, "argument error": 0.7}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median (CPU, wall) seconds of ``command`` over :data:`RUNS` new processes."""
    cpu, wall = [], []
    for _ in range(RUNS):
        started_cpu, started = _children_cpu(), time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        wall.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - started_cpu)
    return statistics.median(cpu), statistics.median(wall)


def run() -> None:
    """Print each command's start-up cost against ``python -c pass`` and its target."""
    script = shutil.which("teamgraph") or os.path.join(os.path.dirname(sys.executable), "teamgraph")
    commands = {
        "--version": [script, "--version"],
        "--help": [script, "--help"],
        "argument error": [script, "write", "--max-revisions", "many", "bees"],
        "unknown command": [script, "frobnicate"],
        "threads": [script, "threads"],
        "graphs": [script, "graphs"],
        "doctor": [script, "doctor"],
    }
    heading(f"CLI start-up (median of {RUNS} new processes; CPU ratio to python -c pass)")
    with tempfile.TemporaryDirectory(prefix="teamgraph-startup-bench-") as home:
        env = {**user_environment(), "TEAMGRAPH_HOME": home, "LANGSMITH_TRACING": "false"}
        compile_project()
        base_cpu, base_wall = timed([sys.executable, "-c", "pass"], env)
        figure("python -c pass (CPU)", base_cpu, "s", "-", True)
        figure("python -c pass (wall)", base_wall, "s", "-", True)
        for name, command in commands.items():
            cpu, wall = timed(command, env)
            limit = TARGETS.get(name)
            target = f"<= {limit} s" if limit is not None else "-"
            figure(f"teamgraph {name} (CPU)", cpu, "s", target, limit is None or cpu <= limit)
            figure(f"teamgraph {name} (wall)", wall, "s", "-", True)
            figure(f"teamgraph {name} / python -c pass (CPU)", cpu / base_cpu, "x", "-", True)
