"""Evaluation reports: a JSON file, a Markdown summary and a PNG chart."""

from __future__ import annotations

import contextlib
import statistics
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphs.evaluation.runner import Row
from tools.kernel import strict_json
from tools.kernel.files import write_atomically

METRICS = ("exact_match", "f1", "containment")
COSTS = ("calls", "input_tokens", "output_tokens", "seconds")


def preload_charts() -> None:
    """Import the chart library in the background (about a second) while questions run.

    Call it once the set-up is done: started sooner, the import competes with the set-up
    (loading the team and its provider) that the first question waits for. A report
    written before it is done waits for it (the import lock); nothing is lost if it
    fails: the report's own import says why.
    """

    def load() -> None:
        with contextlib.suppress(Exception):
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401

    threading.Thread(target=load, name="load-charts", daemon=True).start()


def save_chart(figure: Any, title: str, path: Path) -> None:
    """Title ``figure``, write it to ``path`` as a PNG in one step, and free it."""
    import matplotlib.pyplot as plt

    figure.suptitle(title)
    figure.tight_layout()
    temporary = path.with_suffix(".tmp.png")
    figure.savefig(temporary, dpi=110)
    plt.close(figure)
    temporary.replace(path)


def summary(rows: Sequence[Row]) -> dict[str, dict[str, float]]:
    """Mean scores and costs per system."""
    result: dict[str, dict[str, float]] = {}
    for system in ("team", "baseline"):
        attempts = [row["team"] if system == "team" else row["baseline"] for row in rows]
        scores: list[dict[str, Any]] = [dict(a["scores"]) for a in attempts]
        means = {m: statistics.fmean(s[m] for s in scores) for m in METRICS}
        plain: list[dict[str, Any]] = [dict(a) for a in attempts]
        means.update({c: statistics.fmean(float(p[c]) for p in plain) for c in COSTS})
        recalls = [r for a in attempts if (r := a.get("evidence_recall")) is not None]
        means["evidence_recall"] = statistics.fmean(recalls) if recalls else float("nan")
        costs = [a["cost_usd"] for a in attempts if a["cost_usd"] is not None]
        means["cost_usd"] = sum(costs) if costs else float("nan")
        means["errors"] = float(sum(1 for a in attempts if a["error"]))
        result[system] = means
    return result


def markdown(meta: dict[str, Any], totals: dict[str, dict[str, float]]) -> str:
    """The Markdown report: settings and one row per system."""
    lines = [
        f"# teamgraph eval: {meta['team']} team vs a single call",
        "",
        f"Dataset {meta['dataset']}, {meta['questions']} questions, model {meta['model']}.",
        "",
        "| system | exact match | token F1 | containment | evidence recall | calls | input tok "
        "| output tok | seconds | cost (USD) | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for system, values in totals.items():
        cost = "-" if values["cost_usd"] != values["cost_usd"] else f"{values['cost_usd']:.4f}"
        recall = values["evidence_recall"]
        lines.append(
            f"| {system} | {values['exact_match']:.3f} | {values['f1']:.3f} "
            f"| {values['containment']:.3f} | {'-' if recall != recall else f'{recall:.3f}'} "
            f"| {values['calls']:.1f} "
            f"| {values['input_tokens']:.0f} | {values['output_tokens']:.0f} "
            f"| {values['seconds']:.1f} | {cost} | {values['errors']:.0f} |"
        )
    lines += [
        "",
        "Scores and costs are means per question; cost is the total where prices are known. "
        "Evidence recall: the share of a question's gold evidence pages among the sources "
        "the run used (a single call uses none).",
    ]
    return "\n".join(lines) + "\n"


def chart(totals: dict[str, dict[str, float]], path: Path, title: str) -> None:
    """A PNG with scores (left) and model calls and seconds (right), team vs baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (scores_axis, cost_axis) = plt.subplots(1, 2, figsize=(10, 4))
    width = 0.38
    for offset, system in ((-width / 2, "team"), (width / 2, "baseline")):
        scores_axis.bar(
            [i + offset for i in range(len(METRICS))],
            [totals[system][m] for m in METRICS],
            width,
            label=system,
        )
        cost_axis.bar(
            [i + offset for i in range(2)],
            [totals[system]["calls"], totals[system]["seconds"]],
            width,
            label=system,
        )
    scores_axis.set_xticks(range(len(METRICS)), ["exact match", "token F1", "containment"])
    scores_axis.set_ylim(0, 1)
    scores_axis.set_title("answer quality (mean)")
    cost_axis.set_xticks(range(2), ["model calls", "seconds"])
    cost_axis.set_title("cost per question (mean)")
    scores_axis.legend()
    save_chart(figure, title, path)


def write_reports(rows: Sequence[Row], meta: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Write eval.json, eval.md and eval.png into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    totals = summary(rows)
    paths = {
        "json": folder / "eval.json",
        "markdown": folder / "eval.md",
        "chart": folder / "eval.png",
    }
    write_atomically(
        paths["json"],
        strict_json.dumps(
            {**meta, "summary": totals, "rows": list(rows)},
            ensure_ascii=False,
            indent=2,
            default=str,
        ),
    )
    write_atomically(paths["markdown"], markdown(meta, totals))
    chart(
        totals,
        paths["chart"],
        f"{meta['team']} team vs single call ({meta['questions']} questions)",
    )
    return paths
