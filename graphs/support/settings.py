"""The support team's settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphs.common.settings import RunSettings, model_setting
from tools.tool_runner_defaults import DEFAULT_OBSERVATION_CHARS

ROLES = ("triage", "account", "diagnosis", "resolution", "writer", "critic")
SPECIALISTS = ("account", "diagnosis")
DEFAULT_MAX_REVISIONS = 1
DEFAULT_MAX_STEPS = 3


@dataclass(kw_only=True)
class SupportSettings(RunSettings):
    """Settings of one support-desk run."""

    customer_id: str = field(
        default="",
        metadata={
            "description": "The customer whose ticket this is: the only customer whose "
            "records the run reads or changes."
        },
    )
    db_path: str = field(
        default="",
        metadata={"description": "The support database (empty: TEAMGRAPH_HOME/support.sqlite)."},
    )
    auto_approve: bool = field(
        default=False,
        metadata={
            "description": "Approve plan changes and technician visits without a person "
            "(refunds over the cap always wait for one)."
        },
    )
    feedback: int | None = field(
        default=None,
        metadata={"description": "The customer's rating 1-5 (none: ask, stopping the run)."},
    )
    max_specialist_steps: int = field(
        default=DEFAULT_MAX_STEPS,
        metadata={"description": "Most tool rounds of each specialist."},
    )
    max_revisions: int = field(
        default=DEFAULT_MAX_REVISIONS,
        metadata={"description": "Most rewrites of the reply on the critic's feedback."},
    )
    max_observation_chars: int = field(
        default=DEFAULT_OBSERVATION_CHARS,
        metadata={"description": "Observations are cut to this many characters."},
    )
    triage_model: str = model_setting("triage")
    account_model: str = model_setting("account")
    diagnosis_model: str = model_setting("diagnosis")
    resolution_model: str = model_setting("resolution")
    writer_model: str = model_setting("writer")
    critic_model: str = model_setting("critic")

    def __post_init__(self) -> None:
        """Refuse a rating outside 1-5 and bounds that cannot be met."""
        super().__post_init__()
        if self.feedback is not None and not 1 <= self.feedback <= 5:
            raise ValueError("feedback must be a rating from 1 to 5 (or none to ask).")
        if self.max_specialist_steps < 1 or self.max_revisions < 0:
            raise ValueError("max_specialist_steps must be 1 or more, max_revisions 0 or more.")
        if self.max_observation_chars < 100:
            raise ValueError("max_observation_chars must be 100 or more.")
