"""The Critic: reviews a draft against the plan and says whether it is approved."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from agents.manager import PiecePlan


class Critique(BaseModel):
    """The critic's wire format: ``{"approved": bool, "score": 1-10, "feedback": str}``."""

    approved: bool = Field(description="True if the draft needs no further revision.")
    score: int = Field(ge=1, le=10, description="Overall quality from 1 (poor) to 10.")
    feedback: str = Field(max_length=500, description="Concrete changes the Writer should make.")


CRITIC_SYSTEM = (
    "You are a demanding Critic. Review the draft against the plan: does it follow the "
    "outline, make every key point, read clearly and stay accurate? Approve it only if it "
    "needs no further revision; otherwise give specific, actionable feedback."
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
