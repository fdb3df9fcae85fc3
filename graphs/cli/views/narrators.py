"""The writer and ReAct teams' nodes in words, for the live view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agents.react_agent import SEARCH_FIRST_THOUGHT
from graphs.common.live import Narrator, shorten


class WriterNarrator(Narrator):
    """Manager, Writer and Critic at work; ``cap`` is the run's revision cap."""

    def __init__(self, cap: int) -> None:
        """Narrate a run allowing ``cap`` revisions."""
        self.cap = cap

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """Who is doing what."""
        drafts = state.get("drafts") or []
        if node == "manager_plan":
            return "Manager is planning the piece"
        if node == "writer":
            if not drafts:
                return "Writer is drafting"
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
            return f"Manager planned {len(plan['outline'])} sections for {plan['audience']}"
        if node == "writer":
            return f"Writer wrote {len(update['drafts'][-1].split())} words"
        if node == "critic":
            critique = update["critiques"][-1]
            verdict = "approved" if critique["approved"] else "asked for changes"
            return f"Critic {verdict} (score {critique['score']}/10)"
        if node == "approve_draft":
            return "Approved by a person" if update.get("stop_reason") == "human_approved" else None
        if node == "manager_review":
            accepted = update["reviews"][-1]["accept"]
            return "Manager accepted the piece" if accepted else "Manager sent the piece back"
        return None


class ReactNarrator(Narrator):
    """The agent thinking and its tools answering; ``cap`` is the run's step cap."""

    def __init__(self, cap: int) -> None:
        """Narrate a run allowing ``cap`` tool rounds."""
        self.cap = cap

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """Who is doing what."""
        if node == "agent":
            return f"Agent is thinking (step {state.get('steps', 0) + 1} of {self.cap})"
        if node == "tools":
            calls = state["messages"][-1].tool_calls
            return "Calling " + ", ".join(c["name"] for c in calls)
        return "Agent is writing the answer" if node == "answer" else "Citing sources"

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """What came of it."""
        if node == "tools":
            return "; ".join(
                f"{m.name}: {shorten(str(m.content), 90)}" for m in update.get("messages", [])
            )
        if node == "agent" and update.get("messages"):
            message = update["messages"][-1]
            names = ", ".join(c["name"] for c in message.tool_calls)
            if message.content == SEARCH_FIRST_THOUGHT:
                return f"Searching {names} with the question"
            return f"Agent chose {names}"
        return None
