"""A team file's roles at work, in words, for the live view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.live import (
    LiveView,
    Narrator,
    ProgressView,
    ToolChoices,
    count,
    shorten,
    tools_chosen,
    tools_observed,
    written,
)
from graphs.teamfile.rules import FINISH, OPEN, VOTE
from graphs.teamfile.schema import TeamFile
from tools.tokens import word_count

INSIDE_A_TOOL_ROLE = {
    "agent": "is thinking",
    "tools": "is calling its tools",
    "answer": "is writing its answer",
}
"""What a role with tools is doing at each step of its loop."""


class TeamFileNarrator(Narrator):
    """Who works on what in a team made from a team file; ``cap`` is the run's round cap."""

    def __init__(self, team: TeamFile, cap: int) -> None:
        """Narrate a run of ``team`` allowing ``cap`` rounds."""
        self.team = team
        self.cap = cap
        self.kinds = {entry.name: entry.kind for entry in team.roles}
        self.aggregator = team.aggregator.name if team.aggregator else VOTE
        self.choices = ToolChoices()

    def _role(self, index: int) -> str:
        return self.team.roles[index].name

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """What ``node`` is doing as it starts."""
        role, _, step = node.partition("/")
        if step:
            return self._inside(role, step)
        shape = self.team.shape
        if node == FINISH:
            return "Citing sources"
        if node == self.aggregator and shape == "broadcast":
            return "Counting the votes" if self.team.aggregate == "vote" else f"{node} is merging"
        if node not in self.kinds:
            return None
        if shape == "supervisor" and node == self._role(0):
            turn = state.get("turns", 0) + 1
            return f"{node} is choosing who works next (turn {turn} of {self.cap})"
        if shape == "reflection" and node == self._role(1):
            return f"{node} is reviewing (draft {len(state.get('drafts') or [])})"
        if shape == "broadcast":
            return f"{count(len(self.kinds), 'role')} are answering at once"
        if self.kinds[node] in ("team", "team_file"):
            return f"the team playing {node} is working"
        return f"{node} is working"

    def _inside(self, role: str, step: str) -> str | None:
        """A step of a role with tools, each timed apart (not when roles work at once)."""
        if self.kinds.get(role) != "tools" or self.team.shape == "broadcast":
            return None
        doing = INSIDE_A_TOOL_ROLE.get(step)
        return f"{role} {doing}" if doing else None

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """What came of it."""
        if node.endswith("/tools"):
            return tools_observed(update)
        role, _, step = node.partition("/")
        if step == "agent" and self.kinds.get(role) == "tools":
            return tools_chosen(update, role, self.choices)
        if step == "answer":
            self.choices.forget(role)
        if node == self.aggregator and self.team.shape == "broadcast":
            answer = written(update, "answer")
            said = shorten(answer["text"], 80) if answer else "no answer"
            return f"{node}: {update.get('stop_reason')}: {said}"
        picks = written(update, "picks")
        if picks:
            pick = picks[-1]
            return f"{node} chose {pick['next']} ({shorten(pick['reason'], 80)})"
        critiques = written(update, "critiques")
        if critiques:
            verdict = "approved" if critiques[-1]["approved"] else "asked for changes"
            return f"{node} {verdict} (score {critiques[-1]['score']}/10)"
        return self._work(node, update)

    def _work(self, node: str, update: Mapping[str, Any]) -> str | None:
        outputs = written(update, "outputs")
        if not outputs or node in (OPEN, FINISH):
            return None
        output = outputs[-1]
        sources = f", {count(len(output['citations']), 'source')}" if output["citations"] else ""
        if self.team.aggregate == "vote":
            return f"{node} answered {shorten(output['text'], 60)!r}"
        return f"{node} wrote {count(word_count(output['text']), 'word')}{sources}"


def view_of(team: TeamFile) -> Any:
    """The factory of ``team``'s live view."""

    def view(console: Any, settings: Mapping[str, Any], quiet: bool) -> LiveView:
        cap = int(settings.get("max_rounds", team.max_rounds))
        return ProgressView(console, TeamFileNarrator(team, cap), quiet=quiet)

    return view
