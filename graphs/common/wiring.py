"""Wiring helpers: bind a crew into module-level nodes, compile with the team's settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial, update_wrapper
from typing import Any, TypeVar

from langchain_core.tools import BaseTool

from agents.llm.models import ModelSetting, RoleModels
from graphs.common.crew import Crew
from graphs.common.settings import RunSettings, settings_class
from tools.tools_on_demand import ToolsOnDemand

S = TypeVar("S", bound=RunSettings)


def make_crew(
    team: str,
    roles: Sequence[str],
    kind: type[S],
    models: Mapping[str, ModelSetting | None] | None,
    tools: Sequence[BaseTool] | None,
    settings: Mapping[str, Any],
    check_models: bool,
) -> tuple[Crew[S], type[S]]:
    """The crew of a team and its settings class with ``settings`` as defaults."""
    schema = settings_class(kind, settings)
    role_models = RoleModels(roles, models, check=check_models)
    crew = Crew(team, role_models, ToolsOnDemand(tools), schema(), kind)
    return crew, schema


def bound(function: Callable[..., Any], crew: Crew[Any], **more: Any) -> Callable[..., Any]:
    """``function`` with the crew (and ``more``) bound; LangGraph still reads its signature."""
    return update_wrapper(partial(function, crew=crew, **more), function)
