"""``teamgraph write``: the Manager, Writer and Critic write a short piece on a topic."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from agents.errors import InputError
from graphs import writer
from graphs.cli.output import check_writable, write_atomically
from graphs.cli.progress import ProgressView
from graphs.cli.threads import open_checkpointer, thread_config


def add_parser(commands: Any) -> None:
    """Register the ``write`` command."""
    parser = commands.add_parser(
        "write",
        allow_abbrev=False,
        help="have a Manager, a Writer and a Critic write a short piece",
    )
    parser.add_argument("topic", help="what the piece is about")
    parser.add_argument("--model", help="model for every role (provider:model or local)")
    for role in writer.ROLES:
        parser.add_argument(f"--{role}-model", help=f"model for the {role} (overrides --model)")
    parser.add_argument(
        "--max-revisions",
        type=int,
        default=writer.DEFAULT_MAX_REVISIONS,
        help=f"most rewrites on the Critic's feedback (default {writer.DEFAULT_MAX_REVISIONS})",
    )
    parser.add_argument("--thread", help="keep the run's checkpoints on this thread")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-o", "--output", type=Path, help="also write the piece to this file")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


def role_models(args: argparse.Namespace, roles: tuple[str, ...]) -> dict[str, str | None]:
    """Per-role model flags, with ``--model`` filling the roles not named."""
    return {role: getattr(args, f"{role}_model") or args.model for role in roles}


def _activity(node: str, state: dict[str, Any], cap: int) -> str:
    drafts = state.get("drafts") or []
    if node == "manager_plan":
        return "Manager is planning the piece"
    if node == "writer":
        if not drafts:
            return "Writer is drafting"
        if state.get("manager_instructions"):
            return "Writer is applying the Manager's notes"
        return f"Writer is revising (revision {state.get('revisions', 0) + 1} of {cap})"
    if node == "critic":
        return f"Critic is reviewing draft {len(drafts)}"
    if node == "approve_draft":
        return "Waiting for approval"
    return "Manager is judging the piece"


def _finished(node: str, update: dict[str, Any]) -> str | None:
    if node == "manager_plan":
        plan = update["plan"]
        return f"Manager planned {len(plan['outline'])} sections for {plan['audience']}"
    if node == "writer":
        return f"Writer wrote {len(update['drafts'][-1].split())} words"
    if node == "critic":
        critique = update["critiques"][-1]
        verdict = "approved" if critique["approved"] else "asked for changes"
        return f"Critic {verdict} (score {critique['score']}/10)"
    if node == "approve_draft":
        return "Approved by a person" if update.get("stop_reason") == "human_approved" else None
    review = update["reviews"][-1]
    return "Manager accepted the piece" if review["accept"] else "Manager sent the piece back"


def run(args: argparse.Namespace, console: Console) -> int:
    """Run the writer team and print the piece (or JSON); returns the exit status."""
    topic = args.topic.strip()
    if not topic:
        raise InputError(
            'The topic is empty: give a subject, e.g. teamgraph write "why bees matter".'
        )
    if args.max_revisions < 0:
        raise InputError("--max-revisions must be 0 or more.")
    if args.output is not None:
        check_writable(args.output)
    models = role_models(args, writer.ROLES)
    checkpointer = open_checkpointer() if args.thread else None
    graph_settings: dict[str, Any] = {"max_revisions": args.max_revisions}
    if checkpointer is not None:
        graph_settings["checkpointer"] = checkpointer
    graph = writer.build_graph(models, **graph_settings)
    config = thread_config(args.thread, "writer", models)
    state: dict[str, Any] = {}
    with ProgressView(console, quiet=args.quiet) as view:
        for mode, payload in graph.stream(
            {"topic": topic}, config, stream_mode=["tasks", "values"]
        ):
            event: dict[str, Any] = dict(payload)  # type: ignore[arg-type]
            if mode == "values":
                state = event
            elif "result" not in event:
                view.begin(_activity(event["name"], state, args.max_revisions))
            elif event.get("error") is None:
                line = _finished(event["name"], dict(event["result"]))
                if line:
                    view.done(line)
        elapsed = view.elapsed
    text = state["final_text"]
    if args.output is not None:
        write_atomically(args.output, text + "\n")
    if args.json:
        print(json.dumps(report(state, elapsed), ensure_ascii=False, indent=2))
    else:
        print(text)
        if not args.quiet:
            console.print(
                f"[dim]{len(state['drafts'])} draft(s), {state['revisions']} revision(s), "
                f"stopped: {state['stop_reason']}, {elapsed:.1f}s[/dim]"
            )
    return 0


def report(state: dict[str, Any], elapsed: float) -> dict[str, Any]:
    """The ``--json`` object of a finished run."""
    return {
        "topic": state["topic"],
        "text": state["final_text"],
        "plan": state["plan"],
        "drafts": state["drafts"],
        "critiques": state["critiques"],
        "reviews": state["reviews"],
        "revisions": state["revisions"],
        "manager_returns": state["manager_returns"],
        "stop_reason": state["stop_reason"],
        "models": state["models"],
        "usage": state.get("usage", {}),
        "elapsed_s": round(elapsed, 3),
    }
