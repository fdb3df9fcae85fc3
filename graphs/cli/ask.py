"""``teamgraph ask``: a team answers a question with citations."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console

from agents.errors import InputError
from agents.react_agent import SEARCH_FIRST_THOUGHT
from graphs import react
from graphs.cli.progress import ProgressView
from tools.citations_view import format_citations
from tools.knowledge_store import DEFAULT_COLLECTION
from tools.registry import default_toolbox

TEAMS = ("react",)


def add_parser(commands: Any) -> None:
    """Register the ``ask`` command."""
    parser = commands.add_parser("ask", help="answer a question with cited sources")
    parser.add_argument("question", help="the question")
    parser.add_argument("--team", choices=TEAMS, default="react", help="which team answers")
    parser.add_argument("--model", help="model for every role (provider:model or local)")
    parser.add_argument("--agent-model", help="model of the ReAct agent (overrides --model)")
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


def _activity(node: str, state: dict[str, Any], cap: int) -> str:
    if node == "agent":
        return f"Agent is thinking (step {state.get('steps', 0) + 1} of {cap})"
    if node == "tools":
        calls = state["messages"][-1].tool_calls
        names = ", ".join(f"{c['name']}({next(iter(c['args'].values()), '')!r})" for c in calls)
        return f"Calling {names}"
    if node == "answer":
        return "Agent is writing the answer"
    return "Citing sources"


def _finished(node: str, update: dict[str, Any]) -> str | None:
    if node == "tools":
        lines = [
            f"{m.name}: {str(m.content).splitlines()[0][:90]}" for m in update.get("messages", [])
        ]
        return "; ".join(lines)
    if node == "agent" and update.get("messages"):
        message = update["messages"][-1]
        names = ", ".join(c["name"] for c in message.tool_calls)
        if message.content == SEARCH_FIRST_THOUGHT:
            return f"Searching {names} with the question"
        return f"Agent chose {names}"
    return None


def run(args: argparse.Namespace, console: Console) -> int:
    """Answer the question with the ReAct team and print the answer with its sources."""
    question = args.question.strip()
    if not question:
        raise InputError('The question is empty: e.g. teamgraph ask "Who was Marie Curie?"')
    if args.max_steps < 1:
        raise InputError("--max-steps must be 1 or more.")
    toolbox = default_toolbox(args.collection)
    if not args.quiet:
        for note in toolbox.notes:
            console.print(f"[dim]note: {note}[/dim]", highlight=False)
    graph = react.build_graph(
        {"agent": args.agent_model or args.model}, tools=toolbox.tools, max_steps=args.max_steps
    )
    state: dict[str, Any] = {}
    with ProgressView(console, quiet=args.quiet) as view:
        for mode, payload in graph.stream({"question": question}, stream_mode=["tasks", "values"]):
            event: dict[str, Any] = dict(payload)  # type: ignore[arg-type]
            if mode == "values":
                state = event
            elif "result" not in event:
                view.begin(_activity(event["name"], state, args.max_steps))
            elif event.get("error") is None:
                line = _finished(event["name"], dict(event["result"]))
                if line:
                    view.done(line)
        elapsed = view.elapsed
    if args.json:
        print(json.dumps(report(state, elapsed), ensure_ascii=False, indent=2, default=str))
        return 0
    print(state["answer"])
    if state.get("citations"):
        print("\nSources:\n" + format_citations(state["citations"]))
    if not args.quiet:
        console.print(
            f"[dim]{state.get('steps', 0)} tool round(s), stopped: {state['stop_reason']}, "
            f"{elapsed:.1f}s[/dim]"
        )
    return 0


def report(state: dict[str, Any], elapsed: float) -> dict[str, Any]:
    """The ``--json`` object of a finished ReAct run."""
    calls = [
        {"tool": call["name"], "input": call["args"]}
        for message in state.get("messages", [])
        for call in getattr(message, "tool_calls", [])
    ]
    return {
        "question": state["question"],
        "answer": state["answer"],
        "citations": state.get("citations", []),
        "sources": state.get("sources", []),
        "tool_calls": calls,
        "steps": state.get("steps", 0),
        "stop_reason": state["stop_reason"],
        "models": state.get("models", {}),
        "usage": state.get("usage", {}),
        "elapsed_s": round(elapsed, 3),
    }
