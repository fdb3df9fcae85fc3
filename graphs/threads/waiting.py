"""What a thread waiting for a person waits for, in one line (from the stop's payload)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def action_call(action: Mapping[str, Any]) -> str:
    """An action as ``name(arg=value, ...)``."""
    return f"{action['action']}({', '.join(f'{k}={v}' for k, v in action['args'].items())})"


def question(payload: Mapping[str, Any]) -> str:
    """What is waiting for a person, in one line."""
    kind = payload.get("kind")
    if kind == "feedback":
        return f"the customer's rating (1-5) of the reply to customer {payload.get('customer_id')}"
    if kind == "action_approval":
        actions = ", ".join(action_call(action) for action in payload.get("actions", []))
        return f"the approval of {actions} for customer {payload.get('customer_id')}"
    if kind == "plan_approval":
        return f"the approval of the plan for {payload.get('question', '')!r}"
    return f"the approval of the draft on {payload.get('topic', '')!r}"
