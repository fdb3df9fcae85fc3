"""A team file's roles at work, in words, for the live view."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group, RenderableType

from graphs.common.live import (
    LiveView,
    MemberViews,
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


class TeamFileView(MemberViews, ProgressView):
    """The roles at work, and a built-in team playing a role in its own view inside this one.

    A built-in team (``team: research``) shows what it shows when it runs alone: the
    research plan with each task's state, the writer's drafts and critiques. One such team
    works at a time here (not in a broadcast, where roles work at once and keep the
    role's own line).
    """

    def __init__(
        self,
        console: Console,
        narrator: TeamFileNarrator,
        members: Mapping[str, tuple[str, LiveView]],
        *,
        quiet: bool = False,
    ) -> None:
        """``members``: each built-in team playing a role and its live view, by role."""
        super().__init__(console, narrator, quiet=quiet)
        self.teams = {role: team for role, (team, _) in members.items()}
        self.hold_members({role: view for role, (_, view) in members.items()})

    def renderable(self) -> RenderableType:
        """The activity, above the working team's own view."""
        member = self.members.get(self.current)
        return Group(super().renderable(), member.renderable()) if member else super().renderable()

    def switch_to(self, name: str) -> None:
        """The team playing role ``name`` starts: its view counts from now, and it is said."""
        self.members[name].count_from(time.monotonic())
        super().switch_to(name)
        if not self.quiet:
            self.console.print(f"[dim]{name}: the {self.teams[name]} team is working[/dim]")

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """A team's node goes to that team's view; a role's line is printed here."""
        member = self.member_in(namespace)
        if member is not None:
            member.on_done(namespace[1:], node, update)
            return
        if node == self.current:
            self.members[node].finish()
            self.current = ""
        super().on_done(namespace, node, update)


def view_of(team: TeamFile) -> Any:
    """The factory of ``team``'s live view."""
    from graphs.registry import team_spec

    def view(console: Any, settings: Mapping[str, Any], quiet: bool) -> LiveView:
        cap = int(settings.get("max_rounds", team.max_rounds))
        narrator = TeamFileNarrator(team, cap)
        if team.shape == "broadcast":
            return ProgressView(console, narrator, quiet=quiet)
        members = {
            entry.name: (entry.team, team_spec(entry.team).view(console, {}, quiet))
            for entry in team.roles
            if entry.team
        }
        return TeamFileView(console, narrator, members, quiet=quiet)

    return view
