"""``teamgraph ask``: a team answers a question with numbered citations."""

from __future__ import annotations

import argparse
import json
from typing import Any

from langchain_core.runnables import RunnableConfig
from rich.console import Console

from agents.errors import InputError
from agents.models import check_model_spec
from agents.react_agent import SEARCH_FIRST_THOUGHT
from graphs import react, research
from graphs.cli.progress import ProgressView
from graphs.cli.research_view import ResearchView
from graphs.cli.threads import open_checkpointer, thread_config
from tools.citations_view import format_citations
from tools.knowledge_store import DEFAULT_COLLECTION
from tools.registry import default_toolbox

TEAMS = ("research", "react")


def add_parser(commands: Any) -> None:
    """Register the ``ask`` command."""
    parser = commands.add_parser(
        "ask", allow_abbrev=False, help="answer a question with cited sources"
    )
    parser.add_argument("question", help="the question")
    parser.add_argument("--team", choices=TEAMS, default="research", help="which team answers")
    parser.add_argument("--thread", help="conversation id: follow-ups see earlier turns")
    parser.add_argument("--model", help="model for every role (provider:model or local)")
    for role in (*research.ROLES, *react.ROLES):
        parser.add_argument(f"--{role}-model", help=f"model of the {role} (overrides --model)")
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
        "--collection", default=DEFAULT_COLLECTION, help="knowledge-base collection"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


def _models(args: argparse.Namespace, roles: tuple[str, ...]) -> dict[str, str | None]:
    chosen = {role: getattr(args, f"{role}_model") or args.model for role in roles}
    for setting in chosen.values():
        if setting:
            check_model_spec(setting)
    return chosen


def _checked(args: argparse.Namespace) -> str:
    question = args.question.strip()
    if not question:
        raise InputError('The question is empty: e.g. teamgraph ask "Who was Marie Curie?"')
    if args.max_tasks < 1:
        raise InputError("--max-tasks must be 1 or more.")
    if args.max_steps < 1:
        raise InputError("--max-steps must be 1 or more.")
    return question


def run(args: argparse.Namespace, console: Console) -> int:
    """Answer with the chosen team; print the answer and its sources (or JSON)."""
    question = _checked(args)
    roles = research.ROLES if args.team == "research" else react.ROLES
    models = _models(args, roles)
    toolbox = default_toolbox(args.collection)
    if not args.quiet and not args.json:
        for note in toolbox.notes:
            console.print(f"[dim]note: {note}[/dim]", highlight=False)
    checkpointer = open_checkpointer() if args.thread else None
    config = thread_config(args.thread, args.team)
    if args.team == "research":
        graph: Any = research.build_graph(
            models,
            tools=toolbox.tools,
            checkpointer=checkpointer,
            max_tasks=args.max_tasks,
            answer_type=args.answer_type,
        )
        state, elapsed = _run_research(graph, question, config, console, args.quiet)
    else:
        graph = react.build_graph(
            models, tools=toolbox.tools, checkpointer=checkpointer, max_steps=args.max_steps
        )
        state, elapsed = _run_react(graph, question, config, console, args)
    if args.json:
        print(
            json.dumps(
                report(args.team, state, elapsed, args.thread),
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return 0
    print(state["answer"])
    if state.get("citations"):
        print("\nSources:\n" + format_citations(state["citations"]))
    if not args.quiet:
        console.print(
            f"[dim]stopped: {state['stop_reason']}, {elapsed:.1f}s[/dim]", highlight=False
        )
    return 0


def _run_research(
    graph: Any, question: str, config: RunnableConfig, console: Console, quiet: bool
) -> tuple[dict[str, Any], float]:
    state: dict[str, Any] = {}
    with ResearchView(console, quiet=quiet) as view:
        for mode, payload in graph.stream(
            {"question": question}, config, stream_mode=["updates", "values"]
        ):
            if mode == "values":
                state = dict(payload)
            else:
                for node, update in dict(payload).items():
                    view.update(node, update or {})
        return state, view.elapsed


def _react_activity(node: str, state: dict[str, Any], cap: int) -> str:
    if node == "agent":
        return f"Agent is thinking (step {state.get('steps', 0) + 1} of {cap})"
    if node == "tools":
        calls = state["messages"][-1].tool_calls
        return "Calling " + ", ".join(c["name"] for c in calls)
    return "Agent is writing the answer" if node == "answer" else "Citing sources"


def _react_finished(node: str, update: dict[str, Any]) -> str | None:
    if node == "tools":
        return "; ".join(
            f"{m.name}: {str(m.content).splitlines()[0][:90]}" for m in update.get("messages", [])
        )
    if node == "agent" and update.get("messages"):
        message = update["messages"][-1]
        names = ", ".join(c["name"] for c in message.tool_calls)
        if message.content == SEARCH_FIRST_THOUGHT:
            return f"Searching {names} with the question"
        return f"Agent chose {names}"
    return None


def _run_react(
    graph: Any, question: str, config: RunnableConfig, console: Console, args: argparse.Namespace
) -> tuple[dict[str, Any], float]:
    state: dict[str, Any] = {}
    with ProgressView(console, quiet=args.quiet) as view:
        for mode, payload in graph.stream(
            {"question": question}, config, stream_mode=["tasks", "values"]
        ):
            event: dict[str, Any] = dict(payload)
            if mode == "values":
                state = event
            elif "result" not in event:
                view.begin(_react_activity(event["name"], state, args.max_steps))
            elif event.get("error") is None:
                line = _react_finished(event["name"], dict(event["result"]))
                if line:
                    view.done(line)
        return state, view.elapsed


def report(team: str, state: dict[str, Any], elapsed: float, thread: str | None) -> dict[str, Any]:
    """The ``--json`` object of a finished run."""
    common = {
        "team": team,
        "thread": thread,
        "question": state["question"],
        "answer": state["answer"],
        "citations": state.get("citations", []),
        "stop_reason": state["stop_reason"],
        "models": state.get("models", {}),
        "usage": state.get("usage", {}),
        "elapsed_s": round(elapsed, 3),
    }
    if team == "research":
        return {
            **common,
            "answer_type": state.get("answer_type"),
            "plan": state.get("plan", []),
            "plan_repairs": state.get("plan_repairs", []),
            "tasks": list((state.get("tasks") or {}).values()),
            "replans": state.get("replans", 0),
        }
    return {
        **common,
        "sources": state.get("sources", []),
        "tool_calls": [
            {"tool": call["name"], "input": call["args"]}
            for message in state.get("messages", [])
            for call in getattr(message, "tool_calls", [])
        ],
        "steps": state.get("steps", 0),
    }
