"""Build the team run a command asks for: its graph (with persistence on a thread) and config."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console

from graphs import react, research, team, writer
from graphs.cli.approvals import question
from graphs.cli.driver import Job
from graphs.cli.storage import (
    SavedRun,
    open_checkpointer,
    open_store,
    saved_run,
    thread_config,
)
from graphs.common.spec import TeamSpec
from graphs.registry import team_spec
from tools.kernel.config import resolve
from tools.kernel.errors import InputError
from tools.loading import toolbox_for
from tools.registry import Toolbox

TOOL_USERS = ("research", "react", "team")
TOOL_SETTINGS = ("tool_timeout_s",)
"""Settings of the teams that use tools (the team of teams hands them to its members)."""


def toolbox(
    collection: str | None = None,
    tools: Sequence[str] | None = None,
    mcp: str | None = None,
) -> Toolbox:
    """The tools of a CLI run, and notes on the ones left out or unavailable.

    Each choice left None comes from env, else the project file, else the default.
    """
    return toolbox_for(tools, mcp, collection)


def tool_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` with the tool time limit from env or the project file, if one is set."""
    timeout = resolve("tool_timeout_s", settings.get("tool_timeout_s")).value
    return {**settings, "tool_timeout_s": timeout} if timeout is not None else dict(settings)


def team_graph(
    models: Mapping[str, Any],
    settings: Mapping[str, Any],
    tools: Any,
    checkpointer: Any,
    store: Any,
) -> Any:
    """The team of teams; ``settings["approve"]`` stops for a person on plans and drafts."""
    approve = bool(settings.get("approve"))
    limits = {k: v for k, v in settings.items() if k != "approve" and k not in TOOL_SETTINGS}
    for_tools = {k: v for k, v in settings.items() if k in TOOL_SETTINGS}

    def member_models(name: str) -> Any:
        return models.get(name) if isinstance(models.get(name), Mapping) else None

    members: dict[str, Any] = {
        "research": research.build_graph(
            member_models("research"), tools=tools, approve_plan=approve, **for_tools
        ),
        "writer": writer.build_graph(member_models("writer"), approve_draft=approve),
        "react": react.build_graph(member_models("react"), tools=tools, **for_tools),
    }
    return team.build_graph(
        {"manager": models.get("manager")},
        checkpointer=checkpointer,
        store=store,
        teams=members,
        **limits,
    )


def check_thread_free(spec: TeamSpec, graph: Any, saver: Any, thread: str) -> None:
    """Refuse a new request on a thread of another team, or one waiting for a person."""
    saved = saved_run(saver, thread)
    if saved is None:
        return
    if saved.team != spec.name:
        raise InputError(
            f"Thread {thread!r} belongs to the {saved.team} team (see `teamgraph threads`): "
            f"give this {spec.name} request another --thread. Nothing was run."
        )
    waiting = graph.get_state(thread_config(thread)).interrupts
    if waiting:
        payload = waiting[0].value
        raise InputError(
            f"Thread {thread!r} is waiting for {question(payload)}: answer it with "
            f"`teamgraph resume --thread {thread} --answer "
            f"{payload.get('answer_example', 'approve')}`, or give the new request another "
            "--thread. Nothing was run."
        )


def build_job(
    spec: TeamSpec,
    models: Mapping[str, Any],
    settings: Mapping[str, Any],
    thread: str | None,
    tools: Toolbox | None = None,
    *,
    new_request: bool = True,
) -> Job:
    """The run of ``spec`` with these models and settings, kept on ``thread`` if one is given.

    A ``new_request`` on a thread must find it free: of this team and not waiting for a
    person (a resume continues the thread's own run).
    """
    checkpointer = open_checkpointer() if thread else None
    store = open_store() if thread else None
    box = (tools or toolbox()) if spec.name in TOOL_USERS else None
    if box is not None:
        settings = tool_settings(settings)
        if not box.tools and spec.name == "react":
            raise InputError(
                "The ReAct team has no tool to use: name some with --tools (or in the "
                "project file), or let MCP servers start (see the notes above)."
            )
    tool_list = box.tools if box is not None else None
    if spec.name == "team":
        graph = team_graph(models, settings, tool_list, checkpointer, store)
    else:
        graph = spec.build_graph(
            dict(models), tools=tool_list, checkpointer=checkpointer, store=store, **settings
        )
    if thread and new_request:
        check_thread_free(spec, graph, checkpointer, thread)
    saved = SavedRun(spec.name, dict(models), dict(settings), box.choice if box else {})
    return Job(spec, graph, thread_config(thread, saved), thread, settings)


def resume_job(saved: SavedRun, thread: str, limits: Mapping[str, Any]) -> Job:
    """The thread's own team, built as it was started (limits given now replace the saved)."""
    settings = {**saved.settings, **limits}
    spec = team_spec(saved.team)
    box = toolbox(**saved.tools) if spec.name in TOOL_USERS else None
    return build_job(spec, saved.models, settings, thread, box, new_request=False)


def print_notes(box: Toolbox, console: Console, quiet: bool) -> None:
    """Say which tools were left out, and why."""
    if not quiet:
        for note in box.notes:
            console.print(f"[dim]note: {note}[/dim]", highlight=False)
