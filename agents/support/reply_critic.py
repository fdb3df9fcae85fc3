"""The reply's critic: checks tone, accuracy against the findings and actions, and promises.

It answers in the critic's wire format, ``{"approved": bool, "score": 1-10, "feedback": str}``.
A draft holding a template field (``[Your Name]``), or no message at all (the writer wrote
only its instructions, which are left out), is sent back by code, with no model asked.
"""

from __future__ import annotations

import re

from langchain_core.messages import HumanMessage, SystemMessage

from agents.critic import Critique
from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from agents.support.reply import ReplyBrief, actions_text, compose_reply

REPLY_CRITIC_SYSTEM = (
    "You check a help desk's reply before it is sent. Approve it only if: its tone follows "
    "the style guide; every statement matches the findings and the actions; it promises "
    "nothing that was not done (an action being reviewed or refused must not be presented "
    "as done); and it shows no other customer's details. Otherwise say exactly what to "
    "change.\n\nStyle guide:\n{style}"
)
REPLY_CRITIC_REQUEST = (
    "Ticket:\n{ticket}\n\nFindings:\n{findings}\n\nActions and their outcome:\n{actions}\n\n"
    "Reply:\n{reply}"
)

FALLBACK_REPLY_CRITIQUE = Critique(
    approved=False,
    score=5,
    feedback=(
        "No usable critique was returned. Keep to what was found and done, and promise "
        "nothing else."
    ),
)
"""Used when the critique cannot be read: not approved, so the revision cap decides."""


TEMPLATE_FIELD = re.compile(
    r"\[(?:your|customer|recipient|company|agent|insert|first|full|name)\b[^\]\n]{0,40}\]",
    re.IGNORECASE,
)
"""A field of a letter template a model may leave in a reply: ``[Your Name]``, ``[Company]``."""
TEMPLATE_FEEDBACK = (
    "Replace {fields}: greet the customer by first name and sign as the style guide says, "
    "with no field left in brackets."
)

NO_MESSAGE_FEEDBACK = (
    "The draft held only the instructions you were given, which are never sent. Write the "
    "message to {name} itself: greet them by first name, say what was found and what was "
    "done, and sign as the style guide says."
)


def template_fields(reply: str) -> list[str]:
    """The template fields left in ``reply``, each once, in order."""
    return list(dict.fromkeys(TEMPLATE_FIELD.findall(reply)))


def critique_reply(
    caller: RoleCaller, brief: ReplyBrief, draft: str, style: str
) -> Decision[Critique]:
    """Ask the critic to check the reply as it will be sent, unless code can send ``draft`` back.

    An empty draft (the writer wrote only its instructions) or one holding template
    fields goes back to the writer with the reason, and no model is asked.
    """
    sent_back = _sent_back_by_code(brief, draft)
    if sent_back is not None:
        return Decision(value=sent_back, attempts=0, fallback_used=False)
    reply = compose_reply(draft, brief.actions, brief.escalation)
    request = REPLY_CRITIC_REQUEST.format(
        ticket=brief.ticket,
        findings=brief.findings,
        actions=actions_text(brief.actions),
        reply=reply,
    )
    messages = [SystemMessage(REPLY_CRITIC_SYSTEM.format(style=style)), HumanMessage(request)]
    return decide(caller, messages, Critique, fallback=FALLBACK_REPLY_CRITIQUE)


def _sent_back_by_code(brief: ReplyBrief, draft: str) -> Critique | None:
    """The verdict on a draft with no message or with template fields, else None."""
    if not draft.strip():
        feedback = NO_MESSAGE_FEEDBACK.format(name=brief.name or "the customer")
        return Critique(approved=False, score=1, feedback=feedback)
    left = template_fields(draft)
    if left:
        feedback = TEMPLATE_FEEDBACK.format(fields=", ".join(left))
        return Critique(approved=False, score=2, feedback=feedback[:500])
    return None
