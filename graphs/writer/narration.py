"""The writer team's nodes in words, for the live view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.live import CappedNarrator, count, narrated
from graphs.writer.settings import DEFAULT_MAX_REVISIONS
from tools.tokens import word_count


class WriterNarrator(CappedNarrator):
    """Manager, Writer and Critic at work; ``cap`` is the run's revision cap."""

    cap_setting = "max_revisions"
    default_cap = DEFAULT_MAX_REVISIONS

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """Who is doing what."""
        drafts = state.get("drafts") or []
        if node == "manager_plan":
            return "Manager is planning the piece"
        if node == "writer":
            if not drafts:
                return "Writer is drafting"
            if state.get("person_revision"):
                return "Writer is applying your notes"
            if state.get("manager_instructions"):
                return "Writer is applying the Manager's notes"
            return f"Writer is revising (revision {state.get('revisions', 0) + 1} of {self.cap})"
        if node == "critic":
            return f"Critic is reviewing draft {len(drafts)}"
        if node == "approve_draft":
            return "Waiting for approval"
        return "Manager is judging the piece" if node == "manager_review" else None

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """What came of it."""
        if node == "manager_plan":
            plan = update["plan"]
            return (
                f"Manager planned {count(len(plan['outline']), 'section')} for {plan['audience']}"
            )
        if node == "writer":
            return f"Writer wrote {count(word_count(update['drafts'][-1]), 'word')}"
        if node == "critic":
            critique = update["critiques"][-1]
            verdict = "approved" if critique["approved"] else "asked for changes"
            return f"Critic {verdict} (score {critique['score']}/10)"
        if node == "approve_draft":
            if update.get("person_revision"):
                return "A person asked for changes"
            return "Approved by a person" if update.get("stop_reason") == "human_approved" else None
        if node == "manager_review":
            accepted = update["reviews"][-1]["accept"]
            return "Manager accepted the piece" if accepted else "Manager sent the piece back"
        return None


view = narrated(WriterNarrator.for_run)
"""The writer team's live view."""
