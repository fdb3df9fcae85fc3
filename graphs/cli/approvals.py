"""Answering a run's pending approvals: on a terminal by asking, elsewhere by saying how."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console

from graphs.cli import support_prompts
from tools.kernel.errors import InputError


def parse_answer(text: str) -> Any:
    """An ``--answer`` value: JSON, or a bare word such as ``approve``."""
    text = text.strip()
    if not text:
        raise InputError(
            'The answer is empty: e.g. --answer approve or --answer \'{"action": "approve"}\''
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def describe(payload: Mapping[str, Any]) -> str:
    """What is waiting for approval, in a few lines."""
    if payload.get("kind") in support_prompts.KINDS:
        return support_prompts.describe(payload)
    if payload.get("kind") == "plan_approval":
        lines = [f"Plan for: {payload.get('question', '')}"]
        lines += [
            f"  {t['id']}. {t['query']}"
            + (f" (needs {t['dependency']})" if t["dependency"] else "")
            for t in payload.get("plan", [])
        ]
    else:
        lines = [f"Draft on: {payload.get('topic', '')}", "", str(payload.get("text", ""))]
    if payload.get("error"):
        lines.append(f"\n{payload['error']}")
    return "\n".join(lines)


def can_ask(console: Console) -> bool:
    """Whether a person can answer here (an interactive terminal)."""
    return console.is_terminal and sys.stdin.isatty()


def ask(console: Console, payload: Mapping[str, Any]) -> Any:
    """Show the pending approval and read the person's answer from the terminal."""
    if payload.get("kind") in support_prompts.KINDS:
        return support_prompts.ask(console, payload)
    console.print(describe(payload), highlight=False)
    if payload.get("kind") == "plan_approval":
        reply = console.input(
            "[bold]approve[/bold] / reject [reason] / edit (JSON tasks): "
        ).strip()
        if reply.startswith("reject"):
            return {"action": "reject", "reason": reply[len("reject") :].strip()}
        if reply.startswith("edit"):
            return {"action": "edit", "tasks": json.loads(reply[len("edit") :].strip() or "[]")}
        return {"action": "approve"}
    reply = console.input("[bold]approve[/bold] / revise <notes>: ").strip()
    if reply.startswith("revise"):
        return {"action": "revise", "notes": reply[len("revise") :].strip()}
    return {"action": "approve"}
