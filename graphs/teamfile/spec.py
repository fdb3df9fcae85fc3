"""A team file as a team: its spec (read by the CLI, threads and Studio) and its graph.

:func:`load_team` is the way in from Python; :func:`team_file_spec` gives the spec the
CLI registers, and :func:`recorded_team` rebuilds the team of a thread in another
process from the file it was read from, refusing a file that has changed since.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agents.llm.pricing import usage_table
from graphs.common.answers import REQUEST, final_result, request_input
from graphs.common.spec import TeamSource, TeamSpec
from graphs.registry import team_spec
from graphs.teamfile.builder import Graph, build_team, role_names
from graphs.teamfile.narration import view_of
from graphs.teamfile.reading import LoadedTeam, load_team_file
from graphs.teamfile.settings import settings_class
from graphs.teamfile.state import RESULT, STOP_WORDS
from tools.kernel.errors import InputError, TeamFileError


def report(team: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a run: every role's work, decisions, the result, usage."""
    models = {**(state.get("models") or {}), **(state.get("team_models") or {})}
    return {
        "team": team,
        "request": state.get("request"),
        "outputs": state.get("outputs", []),
        "picks": state.get("picks", []),
        "critiques": state.get("critiques", []),
        "votes": state.get("votes", []),
        "text": state.get("final"),
        "citations": state.get("citations", []),
        "citations_dropped": state.get("citations_dropped", 0),
        "citations_moved": state.get("citations_moved", 0),
        "stop_reason": state.get("stop_reason"),
        "budget_stop": state.get("budget_stop"),
        "fallbacks": state.get("fallbacks", []),
        "models": models,
        "usage": usage_table(state.get("usage") or {}, models),
    }


def team_file_spec(loaded: LoadedTeam) -> TeamSpec:
    """The spec of the team ``loaded`` describes (the teams playing its roles included)."""
    team = loaded.definition
    members: dict[str, TeamSpec] = {}
    for entry in team.roles:
        if entry.team:
            members[entry.name] = team_spec(entry.team)
        elif entry.team_file:
            members[entry.name] = team_file_spec(loaded.nested[entry.name])
    roles = role_names(team)
    plain = tuple(e.name for e in team.roles if e.kind == "plain")
    searching = any(e.kind == "tools" for e in team.roles) or any(
        member.answers_from_sources for member in members.values()
    )
    return TeamSpec(
        name=team.name,
        description=team.description or f"A {team.shape} team: {', '.join(roles)}.",
        roles=roles,
        build_graph=functools.partial(build_team, loaded, members),
        settings=settings_class(team.name, roles),
        make_input=request_input,
        read_result=final_result,
        report=functools.partial(report, team.name),
        request_key=REQUEST,
        result=RESULT,
        stop_words=STOP_WORDS,
        text_nodes=plain,
        has_tool_roles=searching,
        view=view_of(team),
        approval="approve",
        members=lambda: members,
        source=TeamSource(str(loaded.path), loaded.sha256),
    )


def load_team(path: str | Path, models: Mapping[str, Any] | None = None, **build: Any) -> Graph:
    """The compiled graph of the team file at ``path``.

    ``models`` maps a role to its model (they win over the file's); ``build`` takes what
    every team's ``build_graph`` takes (``checkpointer``, ``store``, ``check_models``, and
    settings such as ``max_rounds`` or ``max_calls``). Raises TeamFileError for a file
    that cannot be used, naming its line and key.
    """
    spec = team_file_spec(load_team_file(path))
    graph: Graph = spec.build_graph(models, **build)
    return graph


def recorded_team(source: TeamSource, thread: str) -> TeamSpec:
    """The team of ``thread``, read again from its file; refused if the file has changed."""
    where = Path(source.path)
    again = f"restore it to go on with thread {thread!r}, or start a new thread with it"
    if not where.is_file():
        raise InputError(
            f"Thread {thread!r} was run from the team file {where}, which is missing: put it "
            "back to go on with the thread. Nothing was run."
        )
    try:
        loaded = load_team_file(where)
    except TeamFileError as error:
        raise InputError(
            f"The team file {where} of thread {thread!r} has changed since and cannot be "
            f"used ({error}): {again}. Nothing was run."
        ) from None
    if loaded.sha256 != source.sha256:
        raise InputError(
            f"The team file {where} (or a team file it includes) has changed since thread "
            f"{thread!r} was started: {again}. Nothing was run."
        )
    return team_file_spec(loaded)
