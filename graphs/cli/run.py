"""``teamgraph run``: the Manager routes a request to the teams it needs and streams the work."""

from __future__ import annotations

import argparse
import json
import time
import uuid
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from rich.console import Console
from rich.table import Table

from agents.budget import Budget
from agents.errors import InputError
from agents.models import check_model_spec
from agents.pricing import usage_table
from graphs import team
from graphs.budgeted import run_within_budget
from graphs.cli.approvals import ask, can_ask, describe
from graphs.cli.threads import open_checkpointer, thread_config
from tools.citations_view import format_citations
from tools.registry import default_toolbox

TEAM_ROLES = {
    "research": ("decider", "planner", "executor", "finalizer"),
    "writer": ("manager", "writer", "critic"),
    "react": ("agent",),
}


def add_parser(commands: Any) -> None:
    """Register the ``run`` command."""
    parser = commands.add_parser(
        "run",
        allow_abbrev=False,
        help="the Manager routes a request to research, writer and react teams, chaining them",
    )
    parser.add_argument("request", help="what the team should do")
    parser.add_argument(
        "--thread", help="thread id to keep and resume the run (default: a new one)"
    )
    parser.add_argument("--model", help="model for every role (provider:model or local)")
    parser.add_argument("--manager-model", help="model of the routing Manager")
    parser.add_argument(
        "--auto-approve", action="store_true", help="no approval stops (plan and final draft)"
    )
    add_budget_flags(parser)
    parser.add_argument(
        "--stream-tokens", action="store_true", help="show model tokens as they are written"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


def add_budget_flags(parser: Any) -> None:
    """``--max-calls`` and ``--max-tokens-total``: limits for the whole run."""
    parser.add_argument("--max-calls", type=int, help="most model calls in this run (all roles)")
    parser.add_argument(
        "--max-tokens-total", type=int, help="most tokens (input + output) in this run"
    )


def _models(args: argparse.Namespace) -> dict[str, Any]:
    for setting in (args.model, args.manager_model):
        if setting:
            check_model_spec(setting)
    chosen: dict[str, Any] = {"manager": args.manager_model or args.model}
    if args.model:
        chosen.update(
            {name: dict.fromkeys(roles, args.model) for name, roles in TEAM_ROLES.items()}
        )
    return chosen


def token_printer(console: Console) -> Any:
    """A callback writing streamed tokens of text-writing nodes to stderr as they come."""
    last: list[str] = [""]

    def show(namespace: tuple[str, ...], node: str, text: str) -> None:
        if node not in ("writer", "finalize", "answer", "execute"):
            return
        if last[0] != node:
            console.file.write(f"\n[{node}] ")
            last[0] = node
        console.file.write(text)
        console.file.flush()

    return show


def progress_printer(console: Console, quiet: bool) -> Any:
    """A callback printing each node event of a run (subgraphs included) with the time."""
    started = time.monotonic()

    def show(namespace: tuple[str, ...], node: str, update: Any) -> None:
        if quiet:
            return
        where = "/".join(part.split(":")[0] for part in namespace) or "team"
        detail = ""
        if node == "manager" and isinstance(update, dict) and update.get("route"):
            detail = f": {' -> '.join(update['route'])} ({update['route_reason']})"
        console.print(
            f"[dim][{time.monotonic() - started:6.1f}s][/dim] {where} · {node}{detail}",
            highlight=False,
            soft_wrap=True,
        )

    return show


def print_result(
    state: dict[str, Any], elapsed: float, console: Console, as_json: bool, thread: str
) -> None:
    """The final result, its sources and the usage table (or one JSON object)."""
    rows = usage_table(state.get("usage") or {}, state.get("models") or {})
    if as_json:
        print(
            json.dumps(
                {
                    "thread": thread,
                    "request": state.get("request"),
                    "route": state.get("route"),
                    "result": state.get("final"),
                    "stopped_by": state.get("stopped_by"),
                    "citations": state.get("citations", []),
                    "outputs": state.get("outputs", []),
                    "usage": rows,
                    "elapsed_s": round(elapsed, 3),
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    print(state.get("final", ""))
    if state.get("citations"):
        print("\nSources:\n" + format_citations(state["citations"]))
    table = Table("role", "model", "calls", "input tok", "output tok", "seconds", "cost (USD)")
    for row in rows:
        cost = "-" if row["cost_usd"] is None else f"{row['cost_usd']:.4f}"
        table.add_row(
            str(row["role"]),
            str(row["model"]),
            str(row["calls"]),
            str(row["input_tokens"]),
            str(row["output_tokens"]),
            f"{row['seconds']:.1f}",
            cost,
        )
    console.print(table)
    console.print(f"[dim]thread {thread}, {elapsed:.1f}s[/dim]", highlight=False)


def team_graph(models: Any, auto_approve: bool, checkpointer: Any) -> Any:
    """The team of teams with approval stops unless ``auto_approve``."""
    return team.build_graph(
        models,
        tools=default_toolbox().tools,
        checkpointer=checkpointer,
        research={"approve_plan": not auto_approve},
        writer={"approve_draft": not auto_approve},
    )


def drive(
    graph: Any, payload: Any, config: RunnableConfig, console: Console, args: argparse.Namespace
) -> int:
    """Stream the run within its budget; answer approvals on a terminal, else say how."""
    thread = str(config["configurable"]["thread_id"])
    started = time.monotonic()
    budget = Budget(max_calls=args.max_calls, max_tokens_total=args.max_tokens_total)
    show = progress_printer(console, args.quiet or args.json)
    while True:
        tokens = token_printer(console) if args.stream_tokens and not args.json else None
        run = run_within_budget(
            graph, payload, config, budget=budget, on_update=show, on_token=tokens
        )
        pending = [item.value for item in graph.get_state(config).interrupts]
        if run.stopped_by or not pending:
            state = {**run.state, "final": run.result}
            if run.stopped_by:
                state["stopped_by"] = run.stopped_by
                console.print(
                    f"[yellow]stopped: {run.message}[/yellow] Best result so far:", highlight=False
                )
            print_result(state, time.monotonic() - started, console, args.json, thread)
            return 0
        if args.json or not can_ask(console):
            report_pending(pending[0], thread, console, args.json)
            return 0
        payload = Command(resume=ask(console, pending[0]))


def report_pending(payload: Any, thread: str, console: Console, as_json: bool) -> None:
    """Say what waits for approval and how to answer it from any process."""
    if as_json:
        print(
            json.dumps(
                {"thread": thread, "status": "waiting_for_approval", "pending": payload},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    console.print(describe(payload), highlight=False)
    console.print(
        f"Waiting for approval. Answer with: teamgraph resume --thread {thread} --answer approve "
        f"(or JSON: {payload.get('how', '')})",
        highlight=False,
        soft_wrap=True,
    )


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the team of teams on a thread (SQLite checkpoints) and print the result."""
    request = args.request.strip()
    if not request:
        raise InputError('The request is empty: e.g. teamgraph run "Write a short report on tea"')
    models = _models(args)
    thread = args.thread or uuid.uuid4().hex[:12]
    graph = team_graph(models, args.auto_approve, open_checkpointer())
    config = thread_config(thread, "team", models, args.auto_approve)
    if not args.quiet and not args.json:
        console.print(
            f"[dim]thread {thread} (resume with: teamgraph resume --thread {thread})[/dim]",
            highlight=False,
        )
    return drive(graph, {"request": request}, config, console, args)
