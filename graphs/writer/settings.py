"""The writer team's settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphs.common.settings import RunSettings, model_setting

ROLES = ("manager", "writer", "critic")
DEFAULT_MAX_REVISIONS = 3


@dataclass(kw_only=True)
class WriterSettings(RunSettings):
    """Settings of one writer-team run."""

    max_revisions: int = field(
        default=DEFAULT_MAX_REVISIONS,
        metadata={"description": "Most rewrites on the Critic's feedback."},
    )
    max_manager_returns: int = field(
        default=1, metadata={"description": "Most times the Manager may send the piece back."}
    )
    approve_draft: bool = field(
        default=False,
        metadata={"description": "Stop on the accepted piece until a person approves it."},
    )
    max_human_revisions: int = field(
        default=3, metadata={"description": "Most times a person may send the piece back."}
    )
    manager_model: str = model_setting("manager")
    writer_model: str = model_setting("writer")
    critic_model: str = model_setting("critic")

    def __post_init__(self) -> None:
        """Refuse negative bounds."""
        super().__post_init__()
        if min(self.max_revisions, self.max_manager_returns, self.max_human_revisions) < 0:
            raise ValueError(
                "max_revisions, max_manager_returns and max_human_revisions must be 0 or more."
            )
