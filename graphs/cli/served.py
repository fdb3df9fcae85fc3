"""``--server URL``: a command's run made by an Agent Protocol server instead of this process.

The run's settings and role models go to the server as the run's ``context`` (each team's
settings class), so the server's own defaults fill the rest; the CLI follows the run, asks
approvals and prints the result exactly as for a local run. The server keeps one run per
thread, and chooses its tools.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from langchain_core.runnables import RunnableConfig

from graphs.common.spec import TeamSpec
from graphs.registry import TEAMS, team_spec
from graphs.serving.client import ServedTeam
from graphs.threads.jobs import Job
from tools.kernel.errors import InputError
from tools.kernel.urls import masked


def run_context(models: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, Any]:
    """The run's context: its settings and a ``<role>_model`` for each model chosen."""
    context = dict(settings)
    for role, model in models.items():
        if isinstance(model, Mapping):
            if any(model.values()):
                raise InputError(
                    "With --server, `run` sends the Manager's model only (--manager-model); "
                    "the member teams use the server's models (TEAMGRAPH_<ROLE>_MODEL there)."
                )
        elif model:
            context[f"{role}_model"] = model
    return context


def served_job(
    spec: TeamSpec,
    models: Mapping[str, Any],
    settings: Mapping[str, Any],
    thread: str | None,
    server: str,
) -> Job:
    """The run of ``spec`` on ``server``, kept on ``thread`` (a new one if None).

    A thread the server keeps for another team is refused, as on this machine.
    """
    graph = ServedTeam(spec.name, server, context=run_context(models, settings))
    if thread:
        owner = graph.thread_team(thread)
        if owner and owner != spec.name:
            raise InputError(
                f"Thread {thread!r} on the server at {masked(server)} belongs to the {owner} "
                f"team: give this {spec.name} request another --thread. Nothing was run."
            )
    thread = thread or uuid.uuid4().hex[:12]
    config = RunnableConfig(configurable={"thread_id": thread})
    return Job(spec, graph, config, thread, settings, server)


def served_resume_job(thread: str, server: str) -> Job:
    """The thread's own team on ``server``, with the settings its latest run was given."""
    probe = ServedTeam("team", server)
    team = probe.thread_team(thread)
    if team is None:
        raise InputError(f"The server at {masked(server)} has no thread {thread!r} to resume.")
    if team not in TEAMS:
        raise InputError(f"Thread {thread!r} on the server runs {team!r}, not a teamgraph team.")
    runs = probe.api.runs.list(probe.server_thread(thread), limit=1)
    latest: dict[str, Any] = dict(runs[0]) if runs else {}
    context = latest.get("context") or (latest.get("kwargs") or {}).get("context") or {}
    graph = ServedTeam(team, server, context=context)
    config = RunnableConfig(configurable={"thread_id": thread})
    return Job(team_spec(team), graph, config, thread, context, server)
