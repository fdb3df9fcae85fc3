"""The Critic: reviews a draft against the plan and says whether it is approved."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, model_validator

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from agents.manager import PiecePlan

PASS_MARK = 7
"""The lowest score an approved draft may have."""


class Critique(BaseModel):
    """The critic's wire format: ``{"approved": bool, "score": 1-10, "feedback": str}``.

    A verdict whose fields disagree is invalid (and so re-asked): approved under the pass
    mark, or sent back with full marks.
    """

    approved: bool = Field(description="True if the draft needs no further revision.")
    score: int = Field(ge=1, le=10, description="Overall quality from 1 (poor) to 10.")
    feedback: str = Field(max_length=500, description="Concrete changes the Writer should make.")

    @model_validator(mode="after")
    def _consistent(self) -> Critique:
        if self.approved and self.score < PASS_MARK:
            raise ValueError(
                f"approved with a score of {self.score}, under the pass mark of {PASS_MARK}: "
                f"approve only a draft scoring {PASS_MARK} or more"
            )
        if not self.approved and self.score == 10:
            raise ValueError("sent back with a score of 10: a draft worth 10 needs no revision")
        return self


CRITIC_SYSTEM = (
    "You are a demanding Critic. Review the draft against the plan: does it follow the "
    "outline, make every key point, read clearly and stay accurate? Score it from 1 to 10. "
    f"Approve it only if it needs no further revision (then it scores {PASS_MARK} or more); "
    "otherwise give specific, actionable feedback."
)
CRITIC_REQUEST = (
    "Topic: {topic}\nAudience: {audience}\nOutline: {outline}\nKey points: {key_points}\n\n"
    "Draft:\n{draft}"
)

FALLBACK_CRITIQUE = Critique(
    approved=False,
    score=5,
    feedback=(
        "No usable critique was returned. Revise for clarity and structure, and make sure "
        "every key point of the plan is covered."
    ),
)
"""Used when the critique cannot be read: not approved, so the revision cap decides."""


def critique_draft(
    caller: RoleCaller, topic: str, plan: PiecePlan, draft: str
) -> Decision[Critique]:
    """Ask the Critic to review ``draft``."""
    request = CRITIC_REQUEST.format(
        topic=topic,
        audience=plan.audience,
        outline="; ".join(plan.outline),
        key_points="; ".join(plan.key_points),
        draft=draft,
    )
    messages = [SystemMessage(CRITIC_SYSTEM), HumanMessage(request)]
    return decide(caller, messages, Critique, fallback=FALLBACK_CRITIQUE)


REVIEWER_RULES = (
    "\n\nReview the work against the request: does it answer it fully, clearly and "
    f"accurately? Score it from 1 to 10. Approve it only if it needs no further revision "
    f"(then it scores {PASS_MARK} or more); otherwise give specific, actionable feedback."
)
REVIEW_REQUEST = "Request: {request}\n\nWork:\n{work}"


def critique_work(caller: RoleCaller, persona: str, request: str, work: str) -> Decision[Critique]:
    """A reviewer with its own ``persona`` reviews ``work`` done for ``request``."""
    messages = [
        SystemMessage(persona + REVIEWER_RULES),
        HumanMessage(REVIEW_REQUEST.format(request=request, work=work)),
    ]
    return decide(caller, messages, Critique, fallback=FALLBACK_CRITIQUE)
