"""The research team's settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from agents.tool_modes import DEFAULT_CONTEXT_CHARS, ToolPolicy
from graphs.common.settings import RunSettings, model_setting
from tools.tool_runner_defaults import DEFAULT_TOOL_TIMEOUT_S

ROLES = ("decider", "planner", "executor", "finalizer")
DEFAULT_MAX_TASKS = 6
DEFAULT_MAX_CONCURRENCY = 4
DEFAULT_MAX_REPLANS = 1
ContextScope = Literal["dependencies", "all"]
AnswerTypeSetting = Literal["auto", "A", "B"]


@dataclass(kw_only=True)
class ResearchSettings(RunSettings):
    """Settings of one research-team run."""

    max_tasks: int = field(
        default=DEFAULT_MAX_TASKS, metadata={"description": "Most tasks in a plan."}
    )
    max_concurrency: int = field(
        default=DEFAULT_MAX_CONCURRENCY, metadata={"description": "Most tasks running at once."}
    )
    max_replans: int = field(
        default=DEFAULT_MAX_REPLANS,
        metadata={"description": "Most times the reflection may add tasks."},
    )
    answer_type: AnswerTypeSetting = field(
        default="auto",
        metadata={"description": "auto: the decider chooses; A: answer at once; B: always plan."},
    )
    approve_plan: bool = field(
        default=False,
        metadata={"description": "Stop after planning until a person approves, edits or rejects."},
    )
    tool_policy: ToolPolicy = field(
        default="auto",
        metadata={
            "description": "native: the executor calls tools itself; model: it picks a tool "
            "and writes queries as JSON decisions; search: each task's question goes to every "
            "retrieval tool; auto: search for embedded models and models that cannot call "
            "tools, native for the others."
        },
    )
    context_scope: ContextScope = field(
        default="dependencies",
        metadata={"description": "dependencies: a task sees only its dependencies' results."},
    )
    context_chars: int = field(
        default=DEFAULT_CONTEXT_CHARS,
        metadata={"description": "Dependency context over this size is summarised."},
    )
    tool_timeout_s: float = field(
        default=DEFAULT_TOOL_TIMEOUT_S,
        metadata={
            "description": "A tool call that takes longer is stopped (an observation says so)."
        },
    )
    decider_model: str = model_setting("decider")
    planner_model: str = model_setting("planner")
    executor_model: str = model_setting("executor")
    finalizer_model: str = model_setting("finalizer")

    def __post_init__(self) -> None:
        """Refuse bounds that cannot work."""
        super().__post_init__()
        if self.max_tasks < 1 or self.max_concurrency < 1 or self.max_replans < 0:
            raise ValueError(
                "max_tasks and max_concurrency must be 1 or more, max_replans 0 or more."
            )
        if self.tool_timeout_s <= 0:
            raise ValueError("tool_timeout_s must be more than 0.")
