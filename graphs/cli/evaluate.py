"""``teamgraph eval``: does a team beat a single call of the same model on real questions?"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from agents.llm.models import load_chat_model, model_label
from graphs.cli import jobs, support_eval
from graphs.evaluation.datasets import FANOUTQA_DEV, load
from graphs.evaluation.report import summary, write_reports
from graphs.evaluation.runner import Row, evaluate
from graphs.registry import TEAMS
from tools.kernel.errors import InputError


def add_parser(commands: Any) -> None:
    """Register the ``eval`` command."""
    parser = commands.add_parser(
        "eval", allow_abbrev=False, help="a team vs a single model call, scored on real questions"
    )
    parser.add_argument("--team", choices=sorted(TEAMS), default="research", help="team to measure")
    parser.add_argument(
        "--dataset",
        default=FANOUTQA_DEV,
        help=f"{FANOUTQA_DEV} or a JSONL file of {{question, answer}}",
    )
    parser.add_argument(
        "--suite",
        choices=("qa", "support"),
        default="qa",
        help="qa: a team vs one call on questions; support: pass^k of the support desk",
    )
    parser.add_argument("--trials", type=int, default=1, help="support: trials per ticket")
    parser.add_argument(
        "--limit", type=int, help="first N questions (default 20) or tickets (default all)"
    )
    parser.add_argument("--model", default="local", help="one model for the team and the baseline")
    parser.add_argument(
        "--out", type=Path, default=Path("eval-report"), help="folder for the reports"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the evaluation and write eval.json, eval.md and eval.png."""
    if args.suite == "support":
        return support_eval.run(args, console)
    if args.team == "support":
        raise InputError("The support desk is measured with --suite support.")
    limit = 20 if args.limit is None else args.limit
    if limit < 1:
        raise InputError("--limit must be 1 or more.")
    questions = load(args.dataset)[:limit]
    spec = TEAMS[args.team]
    tools = jobs.toolbox().tools if spec.name in jobs.TOOL_USERS else None
    graph = spec.build_graph(dict.fromkeys(spec.roles, args.model), tools=tools)
    model = load_chat_model(args.model)

    def progress(row: Row) -> None:
        console.print(
            f"[dim]{row['id']}[/dim] team F1 {row['team']['scores']['f1']:.2f} "
            f"vs baseline {row['baseline']['scores']['f1']:.2f}",
            highlight=False,
        )

    rows = evaluate(questions, spec, graph, model, model_label(args.model), progress)
    meta = {"team": args.team, "dataset": args.dataset, "questions": len(rows), "model": args.model}
    paths = write_reports(rows, meta, args.out)
    totals = summary(rows)
    if args.json:
        print(
            json.dumps(
                {**meta, "summary": totals, "reports": {k: str(v) for k, v in paths.items()}},
                indent=2,
            )
        )
    else:
        print(paths["markdown"].read_text(encoding="utf-8"))
        console.print(f"reports: {', '.join(str(p) for p in paths.values())}", highlight=False)
    return 0
