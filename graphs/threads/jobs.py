"""Build a team run: its graph (with persistence on a thread), its config and its settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

from graphs.common.spec import TeamSource, TeamSpec
from graphs.registry import thread_team
from graphs.threads.storage import (
    SavedRun,
    open_checkpointer,
    open_store,
    saved_run,
    thread_config,
)
from graphs.threads.waiting import question
from tools.built_in_tools import Toolbox
from tools.kernel.config import resolve
from tools.kernel.errors import InputError
from tools.toolbox import toolbox_for


@dataclass(frozen=True)
class Job:
    """One team run: its team, its compiled graph, and the config of its thread."""

    spec: TeamSpec
    graph: Any
    config: RunnableConfig
    thread: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The run's settings, for the live view (caps)."""
    server: str | None = None
    """The Agent Server that makes the run, when it is not made in this process."""


def toolbox(
    collection: str | None = None,
    tools: Sequence[str] | None = None,
    mcp: str | None = None,
) -> Toolbox:
    """The tools of a run, and notes on the ones left out or unavailable.

    Each choice left None comes from env, else the project file, else the default.
    """
    return toolbox_for(tools, mcp, collection)


def tool_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` with the tool time limit from env or the project file, if one is set."""
    timeout = resolve("tool_timeout_s", settings.get("tool_timeout_s")).value
    return {**settings, "tool_timeout_s": timeout} if timeout is not None else dict(settings)


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
    if saved.source != spec.source:
        raise InputError(
            f"Thread {thread!r} was run by another version of the {spec.name} team (its team "
            "file has changed since): give this request another --thread. Nothing was run."
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
    box = (tools or toolbox()) if spec.uses_tools else None
    if box is not None:
        settings = tool_settings(settings)
        if not box.tools and spec.needs_a_tool:
            raise InputError(
                f"The {spec.name} team has no tool to use: name some with --tools (or in the "
                "project file), or let MCP servers start (see the notes above)."
            )
    tool_list = box.tools if box is not None else None
    graph = spec.build_graph(
        dict(models), tools=tool_list, checkpointer=checkpointer, store=store, **settings
    )
    if thread and new_request:
        check_thread_free(spec, graph, checkpointer, thread)
    saved = SavedRun(
        spec.name, dict(models), dict(settings), box.choice if box else {}, spec.source
    )
    return Job(spec, graph, thread_config(thread, saved), thread, settings)


def known_team(team: str, thread: str, source: TeamSource | None = None) -> TeamSpec:
    """The spec of the team that ran ``thread``; a clear error if it cannot be had here."""
    return thread_team(team, source, thread)


def resume_job(
    saved: SavedRun,
    thread: str,
    limits: Mapping[str, Any],
    models: Mapping[str, Any] | None = None,
) -> Job:
    """The thread's own team, built as it was started.

    Limits and models given now replace the saved ones: a role whose model failed goes on
    with another.
    """
    settings = {**saved.settings, **limits}
    spec = known_team(saved.team, thread, saved.source)
    box = toolbox(**saved.tools) if spec.uses_tools else None
    chosen = {**saved.models, **(models or {})}
    return build_job(spec, chosen, settings, thread, box, new_request=False)
