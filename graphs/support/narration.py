"""The support desk's nodes in words, for the live view: which agent works, and what came of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphs.common.live import CappedNarrator, ToolChoices, count, narrated, repeated_line
from graphs.support.settings import DEFAULT_MAX_REVISIONS

SPECIALIST_NAMES = {"account": "Account agent", "diagnosis": "Diagnosis agent"}
STEP_ACTIVITIES = {"tools": "reading the customer's records", "findings": "writing its findings"}
"""What a specialist does at each step of its subgraph (its ``agent`` chooses what to read)."""
ACTIVITIES = {
    "triage": "Triage is reading the ticket",
    "resolution": "Resolution is proposing actions",
    "policy": "Checking the actions against the policy",
    "approve_actions": "Waiting for a person to approve actions",
    "execute": "Carrying out the actions",
    "escalate": "Handing the case to a person",
    "critic": "Critic is checking the reply",
    "feedback": "Waiting for the customer's rating",
    "finish": "Closing the ticket",
}


class SupportNarrator(CappedNarrator):
    """Triage, the two specialists at once, resolution, the policy, the reply; ``cap`` revisions."""

    cap_setting = "max_revisions"
    default_cap = DEFAULT_MAX_REVISIONS

    def __init__(self, cap: int) -> None:
        """Narrate a run allowing ``cap`` rewrites of the reply."""
        super().__init__(cap)
        self.working: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        """Action id -> the status last shown, so each change is told once."""
        self.choices = ToolChoices()

    def _specialists(self) -> str:
        names = [SPECIALIST_NAMES[role] for role in SPECIALIST_NAMES if role in self.working]
        if len(names) == 2:
            return "Account and Diagnosis agents are working at the same time"
        return f"{names[0]} is {self.working[next(iter(self.working))]}" if names else ""

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """Who is doing what (a specialist's steps are ``account/tools`` and the like)."""
        role, _, step = node.partition("/")
        if role in SPECIALIST_NAMES:
            self.working[role] = STEP_ACTIVITIES.get(step, "choosing what to read")
            return self._specialists()
        if node == "writer":
            drafts = state.get("drafts") or []
            return (
                "Writer is drafting the reply"
                if not drafts
                else f"Writer is revising the reply (revision {len(drafts)} of {self.cap})"
            )
        return ACTIVITIES.get(node)

    def _chosen(self, update: Mapping[str, Any], name: str) -> str | None:
        """A specialist's choice of what to read, in words (None when it has read enough)."""
        called, repeated = self.choices.calls(update, name)
        said = in_words(called)
        if not said:
            return None
        return repeated_line(name, said) if repeated else f"{name} chose to read {said}"

    def _changed_actions(self, actions: list[Mapping[str, Any]]) -> str | None:
        changed = [a for a in actions if self.statuses.get(a["id"]) != a["status"]]
        self.statuses.update({a["id"]: a["status"] for a in actions})
        if not changed:
            return None
        return "Actions: " + "; ".join(f"{a['action']} {a['status']}" for a in changed)

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """What came of it."""
        if node == "triage":
            t = update["triage"]
            return f"Triage: {t['category']}, {t['urgency']} urgency, sentiment {t['sentiment']}"
        role, _, step = node.partition("/")
        if step == "findings" and role in SPECIALIST_NAMES:
            self.working.pop(role, None)
            self.choices.forget(SPECIALIST_NAMES[role])
            record = update["findings"][role]
            rows = count(len(record["rows"]), "row")
            return f"{SPECIALIST_NAMES[role]} found: {record['summary'][:100]} ({rows})"
        if step == "tools" and role in SPECIALIST_NAMES:
            return f"{SPECIALIST_NAMES[role]} read {tools_read(update)}"
        if step == "agent" and role in SPECIALIST_NAMES:
            return self._chosen(update, SPECIALIST_NAMES[role])
        if node == "resolution":
            names = ", ".join(a["action"] for a in update.get("proposal") or []) or "no action"
            return f"Resolution proposed: {names}"
        if node in ("policy", "approve_actions", "execute") and update.get("actions"):
            return self._changed_actions(update["actions"])
        if node == "critic":
            critique = update["critiques"][-1]
            verdict = "approved the reply" if critique["approved"] else "asked for changes"
            return f"Critic {verdict} (score {critique['score']}/10)"
        if node == "escalate" and update.get("escalation"):
            return f"Escalated to a person: {update['escalation']['reason']}"
        if node == "feedback" and update.get("rating") is not None:
            return f"The customer rated the reply {update['rating']}/5"
        return "Writer drafted the reply" if node == "writer" else None


def tools_read(update: Mapping[str, Any]) -> str:
    """The tools a specialist's round called, in words ("outages, line status")."""
    names = [getattr(m, "name", None) or "" for m in update.get("messages") or []]
    return in_words(names) or "the records"


def in_words(tool_names: Sequence[str]) -> str:
    """Tool names as words, each once ("outages, line status"); "" when there are none."""
    return ", ".join(dict.fromkeys(name.replace("_", " ") for name in tool_names if name))


view = narrated(SupportNarrator.for_run)
"""The support desk's live view."""
