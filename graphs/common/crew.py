"""A team's crew: what its nodes use besides the state (role models, tools, settings).

Nodes are module-level functions ``node(state, runtime, *, crew)``; ``build_graph`` binds
the crew. In a node, ``crew.start(runtime)`` (the first node of a run) or
``crew.shift(state, runtime)`` (every other) gives a :class:`Shift`: this run's settings,
and callers whose model calls are charged to this run's ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.llm.calls import RoleCaller
from agents.llm.ledger import Ledger
from agents.llm.models import RoleModels, is_embedded, takes_guided_path
from agents.llm.structured import FallbackNote
from graphs.common.run import RunRecord, new_run, open_ledger
from graphs.common.settings import RunSettings, model_override

S = TypeVar("S", bound=RunSettings)


@dataclass(frozen=True)
class Crew(Generic[S]):
    """A team's role models, tools and default settings, shared by its nodes."""

    team: str
    models: RoleModels
    tools: Callable[[], list[BaseTool]]
    defaults: S
    """The settings a run uses unless it passes its own (``context``)."""
    kind: type[RunSettings]
    """The team's settings class: a run's context of another class is not for this team."""

    def settings(self, runtime: Runtime[Any]) -> S:
        """This run's settings: the run's context if it is this team's, else the defaults."""
        context = runtime.context
        return cast(S, context) if isinstance(context, self.kind) else self.defaults

    def start(self, runtime: Runtime[Any]) -> Shift[S]:
        """A shift opening a new run (the first node of a run calls this)."""
        settings = self.settings(runtime)
        run = new_run(settings.limits(), runtime)
        return Shift(self, settings, run, open_ledger(run, runtime.store))

    def shift(self, state: Mapping[str, Any], runtime: Runtime[Any]) -> Shift[S]:
        """A shift in the run recorded in ``state``."""
        run: RunRecord = state["run"]
        ledger = open_ledger(run, runtime.store, state.get("usage"))
        return Shift(self, self.settings(runtime), run, ledger)


@dataclass(frozen=True)
class Shift(Generic[S]):
    """One node's view of its crew: this run's settings and ledger."""

    crew: Crew[S]
    settings: S
    run: RunRecord
    ledger: Ledger

    def caller(self, role: str, task: str = "") -> RoleCaller:
        """The caller of ``role``'s model (this run's choice), charged to this run."""
        override = model_override(self.settings, role) or None
        return RoleCaller(
            role=role,
            model=self.crew.models.get(role, override),
            label=self.crew.models.label(role, override),
            ledger=self.ledger,
            team=self.crew.team,
            task=task,
        )

    def guided(self, role: str) -> bool:
        """Whether ``role``'s model takes the guided path (search first, structured steps)."""
        return takes_guided_path(self._model(role))

    def embedded(self, role: str) -> bool:
        """Whether ``role``'s model in this run is an embedded model."""
        return is_embedded(self._model(role))

    def searches_first(self, role: str) -> bool:
        """Whether ``role`` sends its question to every retrieval tool before choosing tools.

        A guided model cannot choose them; an embedded one often answers without them.
        """
        return self.guided(role) or self.embedded(role)

    def _model(self, role: str) -> BaseChatModel:
        override = model_override(self.settings, role) or None
        return self.crew.models.get(role, override)

    def labels(self) -> dict[str, str]:
        """Role -> the readable name of the model each role uses in this run."""
        return {
            role: self.crew.models.label(role, model_override(self.settings, role) or None)
            for role in self.crew.models.roles
        }

    def spent(self) -> dict[str, Any]:
        """The state update recording what this run has spent so far, and on which models."""
        return {"usage": self.ledger.usage(), "models": self.labels()}

    def opening(self, fallbacks: list[FallbackNote] | None = None) -> dict[str, Any]:
        """The state update of a run's first node: the run, its models, usage, fallbacks."""
        return {
            "run": self.run,
            "models": self.labels(),
            "usage": Overwrite(self.ledger.usage()),
            "fallbacks": Overwrite(list(fallbacks or [])),
        }
