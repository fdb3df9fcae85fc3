"""The support desk's result: its state key, its best so far, its stop reasons, its actions.

An action here is as a person or a report sees it (:func:`public`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey

STOP_WORDS: dict[str, str] = {
    "replied": "the reply was sent to the customer",
    "escalated": "the case was handed to a person",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


def reply_so_far(state: Mapping[str, Any]) -> str:
    """The reply, else as it would be sent now: the latest draft and the actions' outcomes."""
    if state.get("reply"):
        return str(state["reply"])
    drafts = state.get("drafts") or []
    if not drafts and not state.get("actions"):
        return ""
    from agents.support.reply import compose_reply, message_to_send  # model plumbing: at a limit

    return compose_reply(
        message_to_send(drafts), state.get("actions") or [], state.get("escalation")
    )


RESULT = ResultKey("reply", reply_so_far)
"""The reply is the team's result."""


PUBLIC_KEYS = ("id", "action", "args", "status", "reason", "rule", "proposed_because")


def public(action: Mapping[str, Any]) -> dict[str, Any]:
    """An action as a person or a report sees it."""
    return {key: action[key] for key in PUBLIC_KEYS}
