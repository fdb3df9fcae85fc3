"""Live views of a team run: which one shows which team."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console

from graphs.cli.views.compose import ComposeNarrator
from graphs.cli.views.narrators import ReactNarrator, WriterNarrator
from graphs.cli.views.research import ResearchView
from graphs.cli.views.run import RunView
from graphs.cli.views.support import SupportNarrator
from graphs.cli.views.team import TeamRunView
from graphs.common.live import LiveView, ProgressView
from graphs.react import DEFAULT_MAX_STEPS
from graphs.support import DEFAULT_MAX_REVISIONS as SUPPORT_MAX_REVISIONS
from graphs.team import MEMBERS
from graphs.writer import DEFAULT_MAX_REVISIONS


def view_for(team: str, console: Console, settings: Mapping[str, Any], quiet: bool) -> LiveView:
    """The live view of a run of ``team`` with ``settings``."""
    if team == "team":
        members = {m.name: view_for(m.name, console, {}, quiet) for m in MEMBERS}
        return TeamRunView(console, members, quiet=quiet)
    if team == "writer":
        cap = settings.get("max_revisions", DEFAULT_MAX_REVISIONS)
        return ProgressView(console, WriterNarrator(cap), quiet=quiet)
    if team == "react":
        cap = settings.get("max_steps", DEFAULT_MAX_STEPS)
        return ProgressView(console, ReactNarrator(cap), quiet=quiet)
    if team == "support":
        cap = settings.get("max_revisions", SUPPORT_MAX_REVISIONS)
        return ProgressView(console, SupportNarrator(cap), quiet=quiet)
    if team == "research":
        return ResearchView(console, quiet=quiet)
    if team == "compose":
        return ProgressView(console, ComposeNarrator(), quiet=quiet)
    return RunView(console, quiet=quiet)
