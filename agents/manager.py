"""The Manager: plans a piece before anyone writes, and judges the whole at the end."""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide

Heading = Annotated[str, Field(max_length=80)]
Point = Annotated[str, Field(max_length=160)]


class PiecePlan(BaseModel):
    """The Manager's brief for the Writer."""

    audience: str = Field(max_length=120, description="Who the piece is for.")
    outline: list[Heading] = Field(
        min_length=1, max_length=5, description="Section headings, in order."
    )
    key_points: list[Point] = Field(
        min_length=1, max_length=5, description="Points the piece must make."
    )


class ManagerVerdict(BaseModel):
    """The Manager's judgement of the finished piece."""

    accept: bool = Field(description="True if the piece is ready to hand over.")
    instructions: str = Field(
        max_length=400, description="If not accepted: what the Writer must change."
    )


PLAN_SYSTEM = (
    "You are the Manager of a small writing team. Plan a short piece before it is "
    "written: name the audience, give an outline of at most five short section headings, "
    "and list the key points the piece must make."
)
PLAN_REQUEST = "Topic: {topic}"
MATERIAL = "\n\nMaterial to build on (keep its [n] citations):\n{material}"

REVIEW_SYSTEM = (
    "You are the Manager of a small writing team. Judge whether the finished piece covers "
    "the plan and is ready to hand over. If it is not, give the Writer clear instructions."
)
REVIEW_REQUEST = (
    "Topic: {topic}\nAudience: {audience}\nKey points: {key_points}\n\n"
    "Piece:\n{draft}\n\nLatest critique: {critique}"
)


def fallback_plan(topic: str) -> PiecePlan:
    """Safe plan used when the model's plan cannot be read: a plain three-part piece."""
    return PiecePlan(
        audience="general readers",
        outline=["Introduction", "Main facts", "Conclusion"],
        key_points=[f"What {topic} is and why it matters"[:160]],
    )


FALLBACK_VERDICT = ManagerVerdict(accept=True, instructions="")
"""Used when the verdict cannot be read: accept the piece as the team left it."""


def plan_piece(caller: RoleCaller, topic: str, material: str = "") -> Decision[PiecePlan]:
    """Ask the Manager for the piece's audience, outline and key points."""
    request = PLAN_REQUEST.format(topic=topic) + (
        MATERIAL.format(material=material) if material else ""
    )
    messages = [SystemMessage(PLAN_SYSTEM), HumanMessage(request)]
    return decide(caller, messages, PiecePlan, fallback=fallback_plan(topic))


def review_piece(
    caller: RoleCaller, topic: str, plan: PiecePlan, draft: str, critique: str
) -> Decision[ManagerVerdict]:
    """Ask the Manager whether the final draft is ready, or what to change."""
    request = REVIEW_REQUEST.format(
        topic=topic,
        audience=plan.audience,
        key_points="; ".join(plan.key_points),
        draft=draft,
        critique=critique or "none",
    )
    messages = [SystemMessage(REVIEW_SYSTEM), HumanMessage(request)]
    return decide(caller, messages, ManagerVerdict, fallback=FALLBACK_VERDICT)
