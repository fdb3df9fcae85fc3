"""Build the team run a command asks for: its graph (with persistence on a thread) and config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console

from graphs import react, research, team, writer
from graphs.cli.driver import Job
from graphs.cli.storage import SavedRun, open_checkpointer, open_store, thread_config
from graphs.common.spec import TeamSpec
from graphs.registry import team_spec
from tools.knowledge_store import DEFAULT_COLLECTION
from tools.registry import Toolbox, default_toolbox

TOOL_USERS = ("research", "react", "team")


def toolbox(collection: str | None = None) -> Toolbox:
    """The tools of a CLI run, and notes on the ones left out."""
    return default_toolbox(collection or DEFAULT_COLLECTION)


def team_graph(
    models: Mapping[str, Any],
    settings: Mapping[str, Any],
    tools: Any,
    checkpointer: Any,
    store: Any,
) -> Any:
    """The team of teams; ``settings["approve"]`` stops for a person on plans and drafts."""
    approve = bool(settings.get("approve"))
    limits = {k: v for k, v in settings.items() if k != "approve"}

    def member_models(name: str) -> Any:
        return models.get(name) if isinstance(models.get(name), Mapping) else None

    members: dict[str, Any] = {
        "research": research.build_graph(
            member_models("research"), tools=tools, approve_plan=approve
        ),
        "writer": writer.build_graph(member_models("writer"), approve_draft=approve),
        "react": react.build_graph(member_models("react"), tools=tools),
    }
    return team.build_graph(
        {"manager": models.get("manager")},
        checkpointer=checkpointer,
        store=store,
        teams=members,
        **limits,
    )


def build_job(
    spec: TeamSpec,
    models: Mapping[str, Any],
    settings: Mapping[str, Any],
    thread: str | None,
    tools: Toolbox | None = None,
) -> Job:
    """The run of ``spec`` with these models and settings, kept on ``thread`` if one is given."""
    checkpointer = open_checkpointer() if thread else None
    store = open_store() if thread else None
    tool_list = (tools or toolbox()).tools if spec.name in TOOL_USERS else None
    if spec.name == "team":
        graph = team_graph(models, settings, tool_list, checkpointer, store)
    else:
        graph = spec.build_graph(
            dict(models), tools=tool_list, checkpointer=checkpointer, store=store, **settings
        )
    config = thread_config(thread, SavedRun(spec.name, dict(models), dict(settings)))
    return Job(spec, graph, config, thread, settings)


def resume_job(saved: SavedRun, thread: str, limits: Mapping[str, Any]) -> Job:
    """The thread's own team, built as it was started (limits given now replace the saved)."""
    settings = {**saved.settings, **limits}
    return build_job(team_spec(saved.team), saved.models, settings, thread)


def print_notes(box: Toolbox, console: Console, quiet: bool) -> None:
    """Say which tools were left out, and why."""
    if not quiet:
        for note in box.notes:
            console.print(f"[dim]note: {note}[/dim]", highlight=False)
