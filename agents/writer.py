"""The Writer: drafts the piece from the Manager's plan and rewrites it on feedback."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm.calls import RoleCaller, written_reply
from agents.manager import MATERIAL, PiecePlan
from agents.person_notes import person_notes_block
from agents.reply_language import in_their_language

WRITER_SYSTEM = (
    "You are a skilled Writer. Write a short, clear piece (about 150-250 words) for the "
    "given audience that follows the outline and makes every key point. Reply with the "
    "piece only."
)
DRAFT_REQUEST = "Topic: {topic}\nAudience: {audience}\nOutline: {outline}\nKey points: {key_points}"
REVISION_REQUEST = (
    "\n\nYour previous draft:\n{previous}\n\nRewrite it, applying this feedback:\n{feedback}"
)


def write_draft(
    caller: RoleCaller,
    topic: str,
    plan: PiecePlan,
    previous: str | None = None,
    feedback: str | None = None,
    material: str = "",
    person_notes: Sequence[str] = (),
) -> str:
    """Write a first draft, or a revision of ``previous`` applying ``feedback``.

    A person's notes on earlier drafts bind every revision (see :mod:`agents.person_notes`).
    """
    request = DRAFT_REQUEST.format(
        topic=topic,
        audience=plan.audience,
        outline="; ".join(plan.outline),
        key_points="; ".join(plan.key_points),
    )
    if material:
        request += MATERIAL.format(material=material)
    request += person_notes_block(person_notes)
    if previous is not None:
        request += REVISION_REQUEST.format(previous=previous, feedback=feedback or "none")
    system = f"{WRITER_SYSTEM} {in_their_language(topic, 'topic')}"
    messages = [SystemMessage(system), HumanMessage(request)]
    return written_reply(caller, messages, "draft")
