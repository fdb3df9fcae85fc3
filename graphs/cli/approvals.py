"""Answering a run's pending approvals: on a terminal by asking, elsewhere by saying how.

The terminal passes the reply on as typed; the run reads it (``approve``, ``revise
shorter``, ...) and says back anything that is not one of its answers, with the choices,
so the same rules hold on a terminal and for ``teamgraph resume --answer``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console

from graphs.cli import support_prompts
from tools.kernel.errors import InputError

PROMPTS = {
    "plan_approval": "[bold]approve[/bold] / reject \\[reason] / edit <JSON tasks>: ",
    "draft_approval": "[bold]approve[/bold] / revise <notes>: ",
    **support_prompts.PROMPTS,
}
"""What the terminal asks for each kind of stop (the typed answers it takes)."""


def parse_answer(text: str) -> Any:
    """An ``--answer`` value: JSON, or the words typed at the prompt such as ``approve``."""
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


def ask(console: Console, payload: Mapping[str, Any], *, again: bool = False) -> str:
    """Show the pending approval and read the person's reply, as typed.

    ``again``: the last reply was refused; only why is shown before asking once more.
    """
    if again and payload.get("error"):
        console.print(
            payload["error"], style="yellow", markup=False, highlight=False, soft_wrap=True
        )
    else:
        console.print(describe(payload), markup=False, highlight=False)
    return console.input(PROMPTS.get(str(payload.get("kind")), PROMPTS["draft_approval"]))
