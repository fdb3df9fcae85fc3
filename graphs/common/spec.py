"""What the rest of teamgraph knows of a team: one :class:`TeamSpec` per team.

The CLI, the thread service, Studio and the team of teams read a team only through its
spec, so a team (built in, or registered at run time) needs no code outside its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from typing_extensions import TypedDict

from graphs.common.live import ViewFactory, node_lines
from graphs.common.settings import RunSettings
from graphs.common.stops import LIMIT_WORDS, ResultKey
from tools.citations import Citation


class TeamResult(TypedDict):
    """A team's finished work as another team or the user gets it."""

    text: str
    citations: list[Citation]
    stop_reason: str | None


def run_outcome(state: Mapping[str, Any]) -> dict[str, Any]:
    """How a run ended and what it spent, as a team's ``--json`` object ends."""
    return {
        "stop_reason": state.get("stop_reason"),
        "budget_stop": state.get("budget_stop"),
        "fallbacks": state.get("fallbacks", []),
        "models": state.get("models", {}),
        "usage": state.get("usage", {}),
    }


@dataclass(frozen=True)
class Routing:
    """How the Manager of the team of teams sees a team it may route to."""

    brief: str
    """What the team does, as the Manager reads it after the team's name."""
    fallback: bool = False
    """The Manager's route when its decision cannot be read (else the first team it knows)."""


@dataclass(frozen=True)
class TeamSource:
    """The file a team was read from, so that its threads can be rebuilt in another process."""

    path: str
    sha256: str
    """Of the file and every file it includes: a thread refuses to go on with another version."""


def no_members() -> dict[str, TeamSpec]:
    """A team that runs no other team inside it."""
    return {}


@dataclass(frozen=True)
class TeamSpec:
    """A team: its name, what it does, its roles, how it is built, fed, read and shown."""

    name: str
    description: str
    """One line, for listings."""
    roles: tuple[str, ...]
    build_graph: Callable[..., Any]
    settings: type[RunSettings]
    """The team's settings class (its graph's context schema)."""
    make_input: Callable[[str, str], dict[str, Any]]
    """``(request, material)`` -> the team's input; material is earlier work to build on."""
    read_result: Callable[[Mapping[str, Any]], TeamResult]
    """The team's final state -> its text, citations and stop reason."""
    report: Callable[[Mapping[str, Any]], dict[str, Any]]
    """The team's final state -> the ``--json`` object of a run."""
    request_key: str
    """The input key holding the request (``threads`` shows it)."""
    result: ResultKey
    """The state key holding the result, and the best result so far when a limit stops a run."""
    stop_words: Mapping[str, str] = field(default_factory=dict)
    """Each of the team's own stop reasons in words (the run limits' words are shared)."""
    text_nodes: tuple[str, ...] = ()
    """Nodes whose streamed tokens are text for a person (``--stream-tokens`` shows them)."""
    uses_tools: bool = False
    """Whether its runs get tools (``--tools``, ``--mcp``, the project's tools)."""
    has_tool_roles: bool = False
    """Whether roles of its own search with tools (a team file's roles that name tools)."""
    needs_a_tool: bool = False
    """Whether a run with no tool at all is refused."""
    routing: Routing | None = None
    """Whether, and how, the Manager of the team of teams may route to it."""
    approval: str = ""
    """The setting that stops a run for a person on its result ("" for none)."""
    view: ViewFactory = node_lines
    """Makes the live view of a run (most teams: their narrator in a progress view)."""
    members: Callable[[], Mapping[str, TeamSpec]] = no_members
    """The teams it runs inside itself, by the name of the node that runs each."""
    studio_path: str = ""
    """Where ``langgraph.json`` finds the team's graph factory ("": its ``builder.py``)."""
    source: TeamSource | None = None
    """The team file it was read from (None for a team written in Python)."""

    @property
    def graph_path(self) -> str:
        """Where ``langgraph.json`` finds the factory of the team's graph."""
        return self.studio_path or f"./graphs/{self.name}/builder.py:make_graph"

    @property
    def answers_from_sources(self) -> bool:
        """Whether its answers should rest on sources (an answer with none says so)."""
        return self.uses_tools or self.has_tool_roles

    def in_words(self, stop_reason: str | None) -> str:
        """A stop reason of this team as a person reads it."""
        if not stop_reason:
            return "finished"
        words = self.stop_words.get(stop_reason) or LIMIT_WORDS.get(stop_reason)
        return f"{stop_reason} ({words})" if words else stop_reason

    def streamed_text_nodes(self) -> frozenset[str]:
        """The text nodes of this team and of every team inside it."""
        inner = (spec.streamed_text_nodes() for spec in self.members().values())
        return frozenset(self.text_nodes).union(*inner)


def lazy_build_graph(package: str) -> Callable[..., Any]:
    """``build_graph`` of ``package``'s builder, imported on the first call.

    A team's package then holds its spec without LangGraph's graph code, its models and
    its tools, so listing teams and checking arguments never load them.
    """

    def build_graph(*args: Any, **kwargs: Any) -> Any:
        return import_module(f"{package}.builder").build_graph(*args, **kwargs)

    return build_graph
