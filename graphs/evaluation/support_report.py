"""The support suite's reports: eval.json, eval.md and eval.png, as the question evaluation writes.

Per category and overall: pass^1 .. pass^k, and the mean calls, tokens, seconds and
cost of a run.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphs.evaluation.report import save_chart
from graphs.evaluation.support_runner import TrialResult
from graphs.evaluation.support_scoring import pass_hat
from graphs.evaluation.support_suite import CATEGORIES
from tools.kernel import strict_json
from tools.kernel.files import write_atomically

COSTS = ("calls", "input_tokens", "output_tokens", "seconds")
ALL = "all"


def _figures(results: Sequence[TrialResult], trials: int) -> dict[str, float]:
    per_task: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        per_task[result["id"]].append(result["passed"])
    figures: dict[str, float] = {"tickets": float(len(per_task)), **pass_hat(per_task, trials)}
    plain: list[dict[str, Any]] = [dict(r) for r in results]
    figures.update({c: round(statistics.fmean(float(p[c]) for p in plain), 3) for c in COSTS})
    costs = [r["cost_usd"] for r in results]
    figures["cost_usd"] = float("nan") if None in costs else round(sum(c or 0.0 for c in costs), 6)
    figures["errors"] = float(sum(1 for r in results if r["error"]))
    return figures


def summary(results: Sequence[TrialResult], trials: int) -> dict[str, dict[str, float]]:
    """Per category (in the suite's order) and for ``all``: pass^k and mean costs."""
    table: dict[str, dict[str, float]] = {}
    for category in CATEGORIES:
        chosen = [r for r in results if r["category"] == category]
        if chosen:
            table[category] = _figures(chosen, trials)
    table[ALL] = _figures(results, trials)
    return table


def markdown(meta: dict[str, Any], totals: dict[str, dict[str, float]]) -> str:
    """The Markdown report: one row per category, then all tickets."""
    trials = int(meta["trials"])
    ks = [f"pass^{k}" for k in range(1, trials + 1)]
    lines = [
        "# teamgraph eval: the support desk",
        "",
        f"Suite {meta['suite']}, {meta['tickets']} tickets x {trials} trials, "
        f"model {meta['model']}.",
        "",
        "| category | tickets | " + " | ".join(ks) + " | calls | input tok | output tok "
        "| seconds | cost (USD) | errors |",
        "|---|---|" + "---|" * len(ks) + "---|---|---|---|---|---|",
    ]
    for category, values in totals.items():
        cost = "-" if values["cost_usd"] != values["cost_usd"] else f"{values['cost_usd']:.4f}"
        lines.append(
            f"| {category} | {values['tickets']:.0f} | "
            + " | ".join(f"{values[k]:.3f}" for k in ks)
            + f" | {values['calls']:.1f} | {values['input_tokens']:.0f} "
            f"| {values['output_tokens']:.0f} | {values['seconds']:.1f} | {cost} "
            f"| {values['errors']:.0f} |"
        )
    lines += [
        "",
        "pass^k: the chance that all k of k trials of a ticket end in the expected database "
        "state, C(c, k) / C(n, k) from its n trials with c successes, averaged over tickets. "
        "Calls, tokens and seconds are means per run; cost is the total where prices are known.",
    ]
    return "\n".join(lines) + "\n"


def chart(totals: dict[str, dict[str, float]], trials: int, path: Path, title: str) -> None:
    """A PNG with pass^1 .. pass^k per category."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(totals)
    figure, axis = plt.subplots(figsize=(10, 4))
    width = 0.8 / trials
    for k in range(1, trials + 1):
        offsets = [i - 0.4 + width * (k - 0.5) for i in range(len(names))]
        axis.bar(offsets, [totals[n][f"pass^{k}"] for n in names], width, label=f"pass^{k}")
    axis.set_xticks(range(len(names)), names)
    axis.set_ylim(0, 1)
    axis.set_ylabel("share of tickets")
    axis.legend()
    save_chart(figure, title, path)


def write_reports(
    results: Sequence[TrialResult], meta: dict[str, Any], folder: Path
) -> dict[str, Path]:
    """Write eval.json, eval.md and eval.png into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    totals = summary(results, int(meta["trials"]))
    paths = {
        "json": folder / "eval.json",
        "markdown": folder / "eval.md",
        "chart": folder / "eval.png",
    }
    body = {**meta, "summary": totals, "rows": list(results)}
    write_atomically(
        paths["json"], strict_json.dumps(body, ensure_ascii=False, indent=2, default=str)
    )
    write_atomically(paths["markdown"], markdown(meta, totals))
    title = f"support desk: pass^k per category ({meta['tickets']} tickets, model {meta['model']})"
    chart(totals, int(meta["trials"]), paths["chart"], title)
    return paths
