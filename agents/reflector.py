"""The observation step: do the sub-task results answer the question, or is more needed?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, model_validator

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from agents.wire import stripped

Query = Annotated[str, stripped(300)]


class NewTask(BaseModel):
    """A task to add: its sub-question and the existing tasks it needs."""

    query: Query = Field(description="The sub-question to answer.")
    dependency: list[int] = Field(max_length=10, description="Ids of existing tasks it needs.")


class Reflection(BaseModel):
    """The reflection's wire format."""

    sufficient: bool = Field(description="True if the results answer the question.")
    reason: str = Field(max_length=300, description="Why, in one sentence.")
    new_tasks: list[NewTask] = Field(
        max_length=3, description="If not sufficient: up to three tasks to add."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Reflection:
        if self.sufficient and self.new_tasks:
            raise ValueError("sufficient, yet with new tasks: add tasks only when not sufficient")
        return self


REFLECT_SYSTEM = (
    "You check whether the results of the sub-tasks are enough to answer the question. "
    "If something is missing, add up to three new sub-tasks that would find it."
)
REFLECT_REQUEST = "Question: {question}\n\nResults so far:\n{results}"

FALLBACK = Reflection(sufficient=True, reason="No usable reflection was returned.", new_tasks=[])
"""Used when the reflection cannot be read: answer with what the tasks found."""


def reflect(
    caller: RoleCaller, question: str, results: Sequence[tuple[int, str, str]]
) -> Decision[Reflection]:
    """Judge ``results`` (id, query, result) against the question."""
    rendered = "\n".join(f"Task {i} ({query}): {result}" for i, query, result in results)
    request = REFLECT_REQUEST.format(question=question, results=rendered or "(none)")
    messages = [SystemMessage(REFLECT_SYSTEM), HumanMessage(request)]
    return decide(caller, messages, Reflection, fallback=FALLBACK)
