"""A role written in a team file: its own words as the system prompt, the work in the request.

The role gets the request, what was handed to it (an earlier role's work with its numbered
sources), the manager's instruction, or its previous version with a reviewer's feedback,
and replies with its work only.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm.calls import RoleCaller, written_reply

ROLE_SYSTEM = "{persona}\n\nReply with your work only."
REQUEST = "Request: {request}"
HANDED = "\n\nWork handed to you (cite its numbered sources as [n] where you use them):\n{material}"
INSTRUCTION = "\n\nYour instruction: {instruction}"
REVISION = (
    "\n\nYour previous version:\n{previous}\n\nRevise it, applying this feedback:\n{feedback}"
)


@dataclass(frozen=True)
class Part:
    """What a role is asked to do in one turn."""

    request: str
    material: str = ""
    """Work handed to the role (may be empty)."""
    instruction: str = ""
    """What a manager asked of this turn (may be empty)."""
    previous: str | None = None
    """The role's previous version, when it revises."""
    feedback: str = ""
    """A reviewer's feedback on ``previous``."""

    def task(self) -> str:
        """The turn as one text: the request, then what is handed over, asked or reviewed."""
        text = REQUEST.format(request=self.request)
        if self.material:
            text += HANDED.format(material=self.material)
        if self.instruction:
            text += INSTRUCTION.format(instruction=self.instruction)
        if self.previous is not None:
            text += REVISION.format(previous=self.previous, feedback=self.feedback or "none")
        return text


def do_part(caller: RoleCaller, persona: str, part: Part) -> str:
    """The role's work on ``part``, as text (an empty reply is asked once more)."""
    messages = [SystemMessage(ROLE_SYSTEM.format(persona=persona)), HumanMessage(part.task())]
    return written_reply(caller, messages, "reply")
