"""The ReAct team's settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from agents.tool_modes import ToolMode
from graphs.common.settings import RunSettings, model_setting
from tools.tool_runner_defaults import DEFAULT_OBSERVATION_CHARS, DEFAULT_TOOL_TIMEOUT_S

ROLES = ("agent",)
DEFAULT_MAX_STEPS = 8
FirstStep = Literal["auto", "search", "model"]


@dataclass(kw_only=True)
class ReactSettings(RunSettings):
    """Settings of one ReAct run."""

    max_steps: int = field(
        default=DEFAULT_MAX_STEPS, metadata={"description": "Most tool rounds before answering."}
    )
    tool_mode: ToolMode = field(
        default="auto",
        metadata={"description": "native tool calling, structured JSON actions, or auto."},
    )
    min_tool_steps: int = field(
        default=1, metadata={"description": "Tool rounds required before an answer is accepted."}
    )
    first_step: FirstStep = field(
        default="auto",
        metadata={
            "description": "search: the question goes to every retrieval tool first; model: "
            "the model chooses; auto: search for embedded models and models that cannot call "
            "tools."
        },
    )
    max_observation_chars: int = field(
        default=DEFAULT_OBSERVATION_CHARS,
        metadata={"description": "Observations are cut to this many characters."},
    )
    tool_timeout_s: float = field(
        default=DEFAULT_TOOL_TIMEOUT_S,
        metadata={
            "description": "A tool call that takes longer is stopped (an observation says so)."
        },
    )
    agent_model: str = model_setting("agent")

    def __post_init__(self) -> None:
        """Refuse a step cap below one."""
        super().__post_init__()
        if self.max_steps < 1:
            raise ValueError("max_steps must be 1 or more.")
        if self.tool_timeout_s <= 0:
            raise ValueError("tool_timeout_s must be more than 0.")
