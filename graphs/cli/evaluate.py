"""``teamgraph eval``: does a team beat a single call of the same model on real questions?"""

from __future__ import annotations

import argparse
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from graphs.cli.flags import add_server_flag, add_tool_flags, refuse_local_flags, tools_from_flags
from graphs.cli.help import HOME_ENV, MODEL_ENV, TOOLS_ENV, command
from graphs.evaluation.datasets import FANOUTQA_DEV
from graphs.registry import BUILT_IN
from tools.kernel.errors import InputError

if TYPE_CHECKING:
    from graphs.common.spec import TeamSpec
    from graphs.evaluation.runner import Row

EVAL_MODEL_ENV = {
    **{name: text for name, text in MODEL_ENV.items() if name != "TEAMGRAPH_<ROLE>_MODEL"},
    "TEAMGRAPH_MODEL": "model of the team and the single call when --model is not given",
}


def add_parser(commands: Any) -> None:
    """Register the ``eval`` command."""
    parser = command(
        commands,
        "eval",
        description="Each question is answered by the team and by one plain call of the same "
        "model; both are scored against the gold answers, with calls, tokens, seconds and "
        "cost, and eval.json, eval.md and eval.png are written to --out.",
        examples=[
            "teamgraph eval --team react --limit 20 --out reports/",
            "teamgraph eval --team-file my-team.yaml --questions my_questions.jsonl",
        ],
        env={**EVAL_MODEL_ENV, **TOOLS_ENV, **HOME_ENV},
    )
    parser.add_argument(
        "--team", choices=sorted(BUILT_IN), default="research", help="team to measure"
    )
    parser.add_argument(
        "--team-file",
        metavar="FILE",
        help="measure the team of this file (its roles keep their models unless --model is given)",
    )
    parser.add_argument(
        "--dataset",
        "--questions",
        dest="dataset",
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
    parser.add_argument(
        "--model",
        help="one model for the team and the baseline (default: TEAMGRAPH_MODEL, else the "
        "project file's default, else local)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help="questions (or trials) at once; default: what the model serves (4); with --server, "
        "e.g. one per worker; the scores are the same at every N",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("eval-report"), help="folder for the reports"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_tool_flags(parser)
    add_server_flag(parser)
    parser.set_defaults(run=run)


def _meta(args: argparse.Namespace, rows: list[Row], model: str) -> dict[str, Any]:
    return {
        "team": args.team,
        "dataset": args.dataset,
        "questions": len(rows),
        "model": model,
    }


def team_under_test(args: argparse.Namespace, model: str) -> tuple[TeamSpec, Any]:
    """The measured team's spec and graph: ``--team-file``'s, else ``--team``'s on ``model``."""
    from graphs.registry import TEAMS
    from graphs.threads import jobs

    if args.team_file:
        return _team_file_under_test(args)
    if args.team == "support":
        raise InputError("The support desk is measured with --suite support.")
    spec = TEAMS[args.team]
    if args.server:
        return spec, _served_under_test(spec, args)
    tools = None
    if spec.uses_tools:
        tools = jobs.toolbox(tools=tools_from_flags(args), mcp=args.mcp).tools
    return spec, spec.build_graph(dict.fromkeys(spec.roles, model), tools=tools)


def _team_file_under_test(args: argparse.Namespace) -> tuple[TeamSpec, Any]:
    """The team of ``--team-file``, its roles on ``--model`` if given (else their own)."""
    from graphs.teamfile import load_team_file, team_file_spec

    if args.server:
        raise InputError(
            "--team-file runs the team in this process; a server runs the teams of its "
            "project. Leave out --server, or name one of its teams with --team."
        )
    spec = team_file_spec(load_team_file(args.team_file))
    args.team = spec.name
    models = dict.fromkeys(spec.roles, args.model) if args.model else None
    return spec, spec.build_graph(models)


def _served_under_test(spec: TeamSpec, args: argparse.Namespace) -> Any:
    """``spec``'s team as the server at ``--server`` runs it."""
    from graphs.cli.served import run_context
    from graphs.serving.client import ServedTeam

    refuse_local_flags(args)
    models = dict.fromkeys(spec.roles, args.model)
    return ServedTeam(spec.name, args.server, context=run_context(models, {}))


def _keep_finished(rows: list[Row], args: argparse.Namespace, model: str) -> str:
    """On Ctrl-C: write the report of the questions answered so far, and say where."""
    from graphs.evaluation.report import write_reports

    if not rows:
        return "no question was answered yet; nothing was written"
    done = list(rows)
    paths = write_reports(done, _meta(args, done, model), args.out)
    return f"{len(done)} question(s) answered; their report is in {paths['markdown'].parent}"


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the evaluation and write eval.json, eval.md and eval.png."""
    if args.suite == "support":
        from graphs.cli import support_eval

        return support_eval.run(args, console)
    from agents.llm.models import load_chat_model, model_label, shared_model
    from graphs.cli.heap import set_up_done
    from graphs.cli.interrupts import stop_at_once
    from graphs.cli.results import print_json
    from graphs.cli.views.evaluation import EvalProgress
    from graphs.evaluation.concurrency import checked_concurrency
    from graphs.evaluation.datasets import load
    from graphs.evaluation.report import preload_charts, summary, write_reports
    from graphs.evaluation.runner import evaluate
    from tools.kernel.files import ready_folder

    limit = 20 if args.limit is None else args.limit
    if limit < 1:
        raise InputError("--limit must be 1 or more.")
    setting = shared_model(args.model)
    concurrency = checked_concurrency(args.concurrency, setting)
    questions = load(args.dataset)[:limit]
    ready_folder(args.out, "--out")
    spec, graph = team_under_test(args, setting)
    model = load_chat_model(setting)
    preload_charts()
    set_up_done()

    progress = EvalProgress(console, len(questions), concurrency=concurrency, quiet=args.json)
    with progress, stop_at_once(console, partial(_keep_finished, progress.rows, args, setting)):
        started = time.monotonic()
        rows = evaluate(
            questions,
            spec,
            graph,
            model,
            model_label(setting),
            progress.add,
            progress.at_work,
            concurrency,
            progress.question_started,
        )
        answering = time.monotonic() - started
    meta = {
        **_meta(args, rows, setting),
        "concurrency": concurrency,
        "questions_s": round(answering, 3),
    }
    paths = write_reports(rows, meta, args.out)
    totals = summary(rows)
    if args.json:
        print_json({**meta, "summary": totals, "reports": {k: str(v) for k, v in paths.items()}})
    else:
        print(paths["markdown"].read_text(encoding="utf-8"))
        console.print(f"reports: {', '.join(str(p) for p in paths.values())}", highlight=False)
    return 0
