"""The AnswerTypeDecider: answer at once (A) or decompose into a plan (B)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from agents.conversation import Turn, conversation_block
from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide


class AnswerType(BaseModel):
    """The decider's wire format: ``{"reason": str, "type": "A" | "B"}``."""

    reason: str = Field(max_length=300, description="Why, in one sentence (give it first).")
    type: Literal["A", "B"] = Field(
        description='"A": answer at once. "B": split into sub-tasks first.'
    )


DECIDER_SYSTEM = (
    "You decide how to answer a question. Choose A when it can be answered at once (a "
    "single fact, a definition, a follow-up the conversation already covers). Choose B "
    "when it needs several facts found separately or one fact that depends on another "
    "(for example: who was captain of the team that won a tournament). Give your reason "
    "first."
)
DECIDER_REQUEST = "{conversation}Question: {question}"

FALLBACK = AnswerType(
    reason="No usable decision was returned; planning is the safe path.", type="B"
)
"""Used when the decision cannot be read: plan (B), the path that works for every question."""


def decide_answer_type(
    caller: RoleCaller, question: str, turns: Sequence[Turn]
) -> Decision[AnswerType]:
    """Ask the decider for A or B, with the thread's earlier turns in view."""
    request = DECIDER_REQUEST.format(conversation=conversation_block(turns), question=question)
    messages = [SystemMessage(DECIDER_SYSTEM), HumanMessage(request)]
    return decide(caller, messages, AnswerType, fallback=FALLBACK)
