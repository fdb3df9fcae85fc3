"""What the rest of teamgraph knows of a team: one :class:`TeamSpec` per team."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from typing_extensions import TypedDict

from tools.citations import Citation


class TeamResult(TypedDict):
    """A team's finished work as another team or the user gets it."""

    text: str
    citations: list[Citation]
    stop_reason: str | None


@dataclass(frozen=True)
class TeamSpec:
    """A team: its name, what it does, its roles, how it is built, fed and read."""

    name: str
    description: str
    """One line, for listings and the Manager of the team of teams."""
    roles: tuple[str, ...]
    build_graph: Callable[..., Any]
    make_input: Callable[[str, str], dict[str, Any]]
    """``(request, material)`` -> the team's input; material is earlier work to build on."""
    read_result: Callable[[Mapping[str, Any]], TeamResult]
    """The team's final state -> its text, citations and stop reason."""
    report: Callable[[Mapping[str, Any]], dict[str, Any]]
    """The team's final state -> the ``--json`` object of a run."""

    @property
    def graph_path(self) -> str:
        """Where ``langgraph.json`` finds the team's module-level graph."""
        return f"./graphs/{self.name}/builder.py:graph"
