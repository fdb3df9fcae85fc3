"""A team file compiled into a LangGraph ``StateGraph``: its roles are the nodes.

Every team file's graph opens its run in ``start``, wires its roles as its shape says,
and ends in ``finish``, which cites the chosen work's sources (every ``[n]`` a listed
source). A role's model comes from ``models`` (flags), else the file, else the usual
precedence (``TEAMGRAPH_<ROLE>_MODEL``, ``TEAMGRAPH_MODEL``, the project file, ``local``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.store.base import BaseStore
from langgraph.types import Overwrite

from agents.llm.models import ModelSetting, given_models, role_env_var
from graphs.common.members import Member
from graphs.common.spec import TeamSpec
from graphs.common.wiring import bound, make_crew
from graphs.teamfile.reading import LoadedTeam
from graphs.teamfile.roles import RolePlay, lazy_member
from graphs.teamfile.rules import FINISH, OPEN
from graphs.teamfile.schema import RoleEntry, TeamFile
from graphs.teamfile.settings import TeamFileSettings, settings_class
from graphs.teamfile.shapes import broadcast, reflection, sequential, supervisor
from graphs.teamfile.state import TeamFileInput, TeamFileState
from graphs.teamfile.tool_agent import TeamFileCrew, tool_agent
from tools.citations import finish_answer
from tools.kernel.config import project_config
from tools.kernel.errors import InputError
from tools.toolbox import named_toolbox
from tools.tools_on_demand import ToolsOnDemand

Graph = CompiledStateGraph[TeamFileState, TeamFileSettings, TeamFileInput, TeamFileState]
NEW_REQUEST: dict[str, Any] = {
    "outputs": Overwrite([]),
    "picks": Overwrite([]),
    "votes": Overwrite([]),
    "drafts": Overwrite([]),
    "critiques": Overwrite([]),
    "stops": Overwrite([]),
    "team_models": Overwrite({}),
    "revisions": 0,
    "turns": 0,
    "answer": None,
    "final": "",
    "citations": [],
    "citations_dropped": 0,
    "citations_moved": 0,
    "stop_reason": None,
    "budget_stop": None,
}
"""What a new request on a thread starts from (an earlier request's work is cleared)."""


def role_names(team: TeamFile) -> tuple[str, ...]:
    """Every role of ``team``, the aggregator last."""
    names = [entry.name for entry in team.roles]
    return (*names, team.aggregator.name) if team.aggregator else tuple(names)


def own_roles(team: TeamFile) -> tuple[str, ...]:
    """The roles that call a model themselves (not a team playing a role)."""
    names = [entry.name for entry in team.roles if entry.kind in ("plain", "tools")]
    return (*names, team.aggregator.name) if team.aggregator else tuple(names)


def open_run(
    state: TeamFileState, runtime: Runtime[TeamFileSettings], *, crew: TeamFileCrew
) -> dict[str, Any]:
    """Open the run on the request."""
    request = (state.get("request") or "").strip()
    if not request:
        raise InputError("The request is empty: say what the team should do.")
    shift = crew.start(runtime)
    return {"request": request, **NEW_REQUEST, **shift.opening()}


def finish(state: TeamFileState, *, stop: str) -> dict[str, Any]:
    """The chosen work (else the latest) as the result, every ``[n]`` one of its sources."""
    outputs = state.get("outputs") or []
    chosen = state.get("answer") or (outputs[-1] if outputs else None)
    reason = state.get("stop_reason") or stop
    if chosen is None:
        return {
            "final": "",
            "citations": [],
            "citations_dropped": 0,
            "citations_moved": 0,
            "stop_reason": reason,
        }
    cited = finish_answer(chosen["text"], chosen["citations"])
    return {
        "final": cited.text,
        "citations": cited.citations,
        "citations_dropped": cited.dropped,
        "citations_moved": cited.moved,
        "stop_reason": reason,
    }


def file_role_model(
    role: str, given: ModelSetting | None, written: str | None
) -> ModelSetting | None:
    """The model ``role`` gets from a flag (``given``), ``TEAMGRAPH_<ROLE>_MODEL`` or the file.

    In that order: a role's env var wins over the file's ``model:`` line (so a file can be
    run on other models without editing it); None leaves the role to the usual precedence
    (``TEAMGRAPH_MODEL``, the project file, ``local``).
    """
    return given or os.environ.get(role_env_var(role), "").strip() or written or None


def team_role_model(
    role: str, given: ModelSetting | None, written: str | None
) -> ModelSetting | None:
    """The model of every role of the team playing ``role``, if one is set for it.

    A flag, ``TEAMGRAPH_<ROLE>_MODEL``, the file, else the project file's line for the
    role; None leaves each inner role to its own precedence.
    """
    return file_role_model(role, given, written) or project_config().models.get(role)


def _member(
    entry: RoleEntry,
    spec: TeamSpec,
    setting: ModelSetting | None,
    check_models: bool,
    approve: bool,
) -> Member:
    tools = named_toolbox(entry.tools).tools if entry.tools else None
    models = dict.fromkeys(spec.roles, setting) if setting else None
    stops = {spec.approval: True} if approve and spec.approval else {}
    graph = spec.build_graph(models, tools=tools, check_models=check_models, **stops)
    return Member(spec, graph)


def play_of(
    entry: RoleEntry,
    crew: TeamFileCrew,
    members: Mapping[str, TeamSpec],
    setting: ModelSetting | None,
    build: tuple[bool, bool],
) -> RolePlay:
    """How the graph runs ``entry``; ``build``: (check models now, teams stop for approval)."""
    if entry.kind == "plain":
        return RolePlay(entry.name, "plain", str(entry.role), str(entry.role))
    if entry.kind == "tools":
        names = list(entry.tools or [])
        tools = ToolsOnDemand(None, load=lambda: named_toolbox(names).tools)
        agent = tool_agent(crew, entry.name, str(entry.role), tools)
        return RolePlay(entry.name, "tools", str(entry.role), str(entry.role), agent=agent)
    spec = members[entry.name]
    model = team_role_model(entry.name, setting, entry.model)
    member = lazy_member(functools.partial(_member, entry, spec, model, *build))
    if build[0]:
        member()
    brief = spec.routing.brief if spec.routing else spec.description
    return RolePlay(entry.name, entry.kind, brief=brief, member=member)


def _wire(
    builder: StateGraph[Any, Any, Any, Any],
    team: TeamFile,
    plays: list[RolePlay],
    aggregator: RolePlay | None,
    crew: TeamFileCrew,
) -> str:
    """Wire the roles as ``team``'s shape says; the stop reason of a run that ends plainly."""
    if team.shape == "sequential":
        sequential.wire(builder, plays, crew)
        return "done"
    if team.shape == "supervisor":
        supervisor.wire(builder, plays, crew)
        return "finished"
    if team.shape == "reflection":
        reflection.wire(builder, plays, crew)
        return "max_rounds"
    samples = [(entry.name, entry.samples) for entry in team.roles]
    merging = team.aggregate == "merge"
    broadcast.wire(builder, plays, crew, samples=samples, aggregator=aggregator, merging=merging)
    return "majority"


def build_team(
    loaded: LoadedTeam,
    members: Mapping[str, TeamSpec],
    models: Mapping[str, ModelSetting | None] | None = None,
    *,
    tools: Any = None,
    checkpointer: BaseCheckpointSaver | bool | None = None,
    store: BaseStore | None = None,
    check_models: bool = True,
    approve: bool = False,
    **settings: Any,
) -> Graph:
    """Build the team ``loaded`` describes.

    Args:
        loaded: the team file, read and checked.
        members: the spec of each team (built in, or another team file) that plays a role.
        models: role -> ``"provider:model"``, ``local`` or a chat model (a team playing a
            role: the model of all its roles); these win over the file's ``model`` lines.
        tools: unused: a team file names each role's tools; accepted so every team has one
            signature.
        checkpointer: saver for threads and resume, shared with the teams playing roles.
        store: long-term store, passed to ``compile`` (it also keeps each run's calls).
        check_models: check the model settings now (else at the first model call).
        approve: the teams playing roles stop for a person at their approval steps.
        **settings: defaults of the team's settings (``max_rounds``, ``max_steps``,
            ``max_calls``, ...); a run may override them with ``context``.

    Raises:
        ModelConfigError: a role's model cannot be used, or ``models`` names no role.
    """
    team = loaded.definition
    given = given_models(models, role_names(team), f"the {team.name} team")
    written = {entry.name: entry.model for entry in [*team.roles, *filter(None, [team.aggregator])]}
    chosen = {
        role: file_role_model(role, given.get(role), written.get(role)) for role in own_roles(team)
    }
    kind = settings_class(team.name, role_names(team))
    defaults = {"max_rounds": team.max_rounds, **settings}
    crew, schema = make_crew(team.name, own_roles(team), kind, chosen, None, defaults, check_models)
    plays = [
        play_of(entry, crew, members, given.get(entry.name), (check_models, approve))
        for entry in team.roles
    ]
    aggregator = (
        RolePlay(team.aggregator.name, "plain", team.aggregator.role) if team.aggregator else None
    )
    builder = StateGraph(TeamFileState, input_schema=TeamFileInput, context_schema=schema)
    builder.add_node(OPEN, bound(open_run, crew))
    builder.add_edge(START, OPEN)
    stop = _wire(builder, team, plays, aggregator, crew)
    builder.add_node(FINISH, functools.update_wrapper(functools.partial(finish, stop=stop), finish))
    builder.add_edge(FINISH, END)
    return builder.compile(checkpointer=checkpointer, store=store, name=team.name)
