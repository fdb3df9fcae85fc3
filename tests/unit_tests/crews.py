"""Call one node of a team alone: its crew, a LangGraph runtime, and the run it belongs to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import set_config_context
from langgraph.runtime import Runtime

from graphs.common.crew import Crew
from graphs.common.run import RunRecord
from graphs.common.spec import TeamSpec
from graphs.common.wiring import make_crew


@dataclass(frozen=True)
class Bench:
    """A team's crew and a runtime with its settings, to call its nodes one at a time."""

    crew: Crew[Any]
    runtime: Runtime[Any]
    run: RunRecord

    def call(self, node: Callable[..., Any], state: Mapping[str, Any], **bound: Any) -> Any:
        """``node(state, runtime, crew=..., **bound)`` as LangGraph calls it in a run."""
        config = RunnableConfig(configurable={"thread_id": "bench"})
        with set_config_context(config) as context:
            return context.run(node, state, self.runtime, crew=self.crew, **bound)

    def state(self, **fields: Any) -> dict[str, Any]:
        """A state of a run already opened (the node is not its first)."""
        return {"run": self.run, **fields}


def bench(spec: TeamSpec, models: Mapping[str, Any], tools: Any = None, **settings: Any) -> Bench:
    """The bench of ``spec``'s team with these role models, tools and settings."""
    crew, schema = make_crew(spec.name, spec.roles, spec.settings, models, tools, settings, False)
    runtime: Runtime[Any] = Runtime(context=schema(), store=None)
    run = RunRecord(id=f"bench:{spec.name}", scope="", max_calls=None, max_tokens_total=None)
    return Bench(crew, runtime, run)
