"""The support desk's stops for a person, on a terminal: approving actions, rating the reply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.threads.waiting import action_call

KINDS = ("action_approval", "feedback")
PROMPTS = {
    "action_approval": "[bold]approve[/bold] / reject \\[reason]: ",
    "feedback": "Rate the reply [bold]1-5[/bold] (Enter to skip): ",
}
"""What the terminal asks for each stop (the typed answers it takes)."""


def describe(payload: Mapping[str, Any]) -> str:
    """What waits: the actions to approve, or the reply to rate."""
    if payload.get("kind") == "feedback":
        lines = [f"Reply to customer {payload.get('customer_id', '')}:", "", str(payload["reply"])]
    else:
        lines = [f"Actions for customer {payload.get('customer_id', '')} need approval:"]
        for action in payload.get("actions", []):
            lines.append(f"  {action['id']}: {action_call(action)}: {action['reason']}")
    if payload.get("error"):
        lines.append(f"\n{payload['error']}")
    return "\n".join(lines)
