"""``teamgraph ask``: a team answers a question with numbered citations."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from graphs.cli.flags import (
    add_run_flags,
    add_server_flag,
    add_tool_flags,
    limits_from_flags,
    models_from_flags,
    print_notes,
    refuse_local_flags,
    tools_from_flags,
)
from graphs.cli.help import HOME_ENV, MODEL_ENV, TOOLS_ENV, command
from graphs.react import settings as react
from graphs.research import settings as research
from tools.kernel.errors import InputError
from tools.knowledge_store import DEFAULT_COLLECTION

TEAMS = ("research", "react")


def add_parser(commands: Any) -> None:
    """Register the ``ask`` command."""
    parser = command(
        commands,
        "ask",
        description="The research team (default) decides whether to plan, runs sub-tasks "
        "with dependencies in parallel and answers with numbered citations; --team react "
        "lets one agent call tools until it can answer. With --thread, follow-up questions "
        "see the earlier turns.",
        examples=[
            'teamgraph ask "Who was captain of the 2022 World Cup winner?"',
            'teamgraph ask --team react "What is the Wi-Fi password?" --collection office',
        ],
        env={**MODEL_ENV, **TOOLS_ENV, **HOME_ENV},
    )
    parser.add_argument("question", help="the question")
    parser.add_argument("--team", choices=TEAMS, default="research", help="which team answers")
    decomposition = parser.add_mutually_exclusive_group()
    decomposition.add_argument(
        "--plan",
        dest="answer_type",
        action="store_const",
        const="B",
        help="research: always decompose into sub-tasks",
    )
    decomposition.add_argument(
        "--no-plan",
        dest="answer_type",
        action="store_const",
        const="A",
        help="research: always answer at once",
    )
    parser.set_defaults(answer_type="auto")
    parser.add_argument(
        "--max-tasks",
        type=int,
        default=research.DEFAULT_MAX_TASKS,
        help=f"most sub-tasks in a plan (default {research.DEFAULT_MAX_TASKS})",
    )
    parser.add_argument(
        "--max-steps",
        type=int,
        default=react.DEFAULT_MAX_STEPS,
        help=f"most tool rounds of the ReAct agent (default {react.DEFAULT_MAX_STEPS})",
    )
    parser.add_argument(
        "--collection",
        help=f"knowledge-base collection to search "
        f"(default: the collection setting, else {DEFAULT_COLLECTION})",
    )
    add_tool_flags(parser)
    add_run_flags(
        parser,
        (*research.ROLES, *react.ROLES),
        "conversation id: follow-ups see earlier turns (and the run can be resumed)",
    )
    add_server_flag(parser)
    parser.set_defaults(run=run)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    if args.max_tasks < 1:
        raise InputError("--max-tasks must be 1 or more.")
    if args.max_steps < 1:
        raise InputError("--max-steps must be 1 or more.")
    team = (
        {"max_tasks": args.max_tasks, "answer_type": args.answer_type}
        if args.team == "research"
        else {"max_steps": args.max_steps}
    )
    return {**team, **limits_from_flags(args)}


def run(args: argparse.Namespace, console: Console) -> int:
    """Answer with the chosen team; print the answer and its sources (or JSON)."""
    from graphs.cli.driver import Display, drive
    from graphs.cli.served import served_job
    from graphs.registry import team_spec
    from graphs.threads import jobs
    from graphs.threads.locks import hold_thread
    from tools.knowledge_store import existing_collection

    question = args.question.strip()
    if not question:
        raise InputError('The question is empty: e.g. teamgraph ask "Who was Marie Curie?"')
    spec = team_spec(args.team)
    settings = _settings(args)
    models = models_from_flags(args, spec.roles)
    payload = spec.make_input(question, "")
    display = Display(args.json, args.quiet)
    if args.server:
        refuse_local_flags(args)
        job = served_job(spec, models, settings, args.thread, args.server)
        return drive(job, payload, console, display).code
    collection = existing_collection(args.collection) if args.collection else None
    box = jobs.toolbox(collection, tools_from_flags(args), args.mcp)
    print_notes(box, console, args.quiet or args.json)
    with hold_thread(args.thread):
        job = jobs.build_job(spec, models, settings, args.thread, box)
        return drive(job, payload, console, display).code
