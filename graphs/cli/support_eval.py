"""``teamgraph eval --suite support``: pass^k of the support desk on its ticket suite."""

from __future__ import annotations

import argparse
from collections import Counter
from functools import partial
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from rich.console import Console

from agents.llm.models import shared_model
from graphs.cli.heap import set_up_done
from graphs.cli.interrupts import stop_at_once
from graphs.cli.results import print_json
from graphs.evaluation.concurrency import checked_concurrency
from graphs.evaluation.report import preload_charts
from graphs.evaluation.support_report import ALL, summary, write_reports
from graphs.evaluation.support_runner import TrialResult, run_suite
from graphs.evaluation.support_suite import SUITE, load_suite
from graphs.registry import team_spec
from tools.kernel.errors import InputError
from tools.kernel.files import ready_folder


def _meta(results: list[TrialResult], trials: int, model: str) -> dict[str, Any]:
    used = sorted({label for r in results for label in r["models"].values()})
    tickets = {r["id"] for r in results}
    return {
        "team": "support",
        "suite": SUITE.name,
        "tickets": len(tickets),
        "trials": trials,
        "model": ", ".join(used) or model,
    }


def report_finished(finished: list[TrialResult], args: argparse.Namespace) -> str:
    """On Ctrl-C: write the report of the trials finished so far, and say where."""
    if not finished:
        return "no trial had finished; nothing was written"
    done = list(finished)
    trials = min(Counter(r["id"] for r in done).values())
    paths = write_reports(done, _meta(done, trials, shared_model(args.model)), args.out)
    return (
        f"{len(done)} trial(s) finished; their report (pass^1..pass^{trials}) is in "
        f"{paths['markdown'].parent}"
    )


def run(args: argparse.Namespace, console: Console) -> int:
    """Run every ticket ``--trials`` times and write eval.json, eval.md and eval.png."""
    if args.trials < 1:
        raise InputError("--trials must be 1 or more.")
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be 1 or more.")
    model = shared_model(args.model)
    concurrency = checked_concurrency(args.concurrency, model)
    tickets = load_suite()[: args.limit]
    ready_folder(args.out, "--out")
    spec = team_spec("support")
    graph: Any = spec.build_graph(dict.fromkeys(spec.roles, model), checkpointer=InMemorySaver())
    preload_charts()
    set_up_done()

    finished: list[TrialResult] = []

    def progress(result: TrialResult) -> None:
        finished.append(result)
        verdict = "[green]pass[/green]" if result["passed"] else "[red]fail[/red]"
        why = f" ({'; '.join(result['failures'])[:120]})" if result["failures"] else ""
        total = len(tickets) * args.trials
        mean = sum(r["seconds"] for r in finished) / len(finished)
        left = (total - len(finished)) * mean / concurrency
        console.print(
            f"[dim]{len(finished)}/{total} (trial {result['trial']}, about {left / 60:.0f} min "
            f"left) {result['id']}[/dim] {verdict}{why}",
            highlight=False,
            soft_wrap=True,
        )

    with stop_at_once(console, partial(report_finished, finished, args)):
        results = run_suite(graph, tickets, args.trials, progress, concurrency)
    meta = _meta(results, args.trials, model)
    paths = write_reports(results, meta, args.out)
    totals = summary(results, args.trials)
    if args.json:
        reports = {k: str(v) for k, v in paths.items()}
        print_json({**meta, "summary": totals, "reports": reports})
    else:
        print(paths["markdown"].read_text(encoding="utf-8"))
        overall = ", ".join(f"{k} {v:.3f}" for k, v in totals[ALL].items() if k.startswith("pass^"))
        console.print(f"all tickets: {overall}", highlight=False)
        console.print(f"reports: {', '.join(str(p) for p in paths.values())}", highlight=False)
    return 0
