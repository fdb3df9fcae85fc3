"""The ReAct team's nodes in words, for the live view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.live import (
    CappedNarrator,
    ToolChoices,
    narrated,
    tools_chosen,
    tools_observed,
)
from graphs.react.settings import DEFAULT_MAX_STEPS


class ReactNarrator(CappedNarrator):
    """The agent thinking and its tools answering; ``cap`` is the run's step cap."""

    cap_setting = "max_steps"
    default_cap = DEFAULT_MAX_STEPS

    def __init__(self, cap: int) -> None:
        """Narrate a run allowing ``cap`` steps."""
        super().__init__(cap)
        self.choices = ToolChoices()

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
            return tools_observed(update)
        if node == "answer":
            self.choices.forget("Agent")
        return tools_chosen(update, "Agent", self.choices) if node == "agent" else None


view = narrated(ReactNarrator.for_run)
"""The ReAct team's live view."""
