"""The reply's writer: drafts the answer to the customer in the brand voice.

The brand voice is a style guide the operator can edit: ``TEAMGRAPH_HOME/support_style.md``
if it exists, else the one shipped beside this module. The list of actions and their
outcome is added to the reply in code (:func:`compose_reply`), so what it says was done
is what was done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agents.instruction_echo import without_echo
from agents.llm.calls import RoleCaller, written_reply
from agents.reply_language import in_their_language
from tools.kernel.errors import InputError
from tools.kernel.home import teamgraph_home
from tools.support_db.money import money_text

STYLE_FILE = "support_style.md"
DEFAULT_STYLE = Path(__file__).with_name("style_guide.md")

REPLY_SYSTEM = (
    "You write the help desk's reply to a customer. Follow this style guide:\n{style}\n\n"
    "Write only the message to the customer. Do not list the actions: a summary of every "
    "action and its outcome is added below your message automatically."
)
REPLY_REQUEST = (
    "Customer: {name}\nTicket:\n{ticket}\n\nWhat we found:\n{findings}\n\n"
    "Actions and their outcome:\n{actions}\n{escalation}"
)
REVISION_REQUEST = (
    "Rewrite your reply to {name}, applying this feedback:\n{feedback}\n\n"
    "Write only the new message to {name}: nothing before or after it."
)
"""Asked after the writer's own previous reply, as the next turn of the conversation.

Given its previous reply inside one request instead ("Your previous reply: ... Rewrite
it"), the 1.5B model wrote out its style guide in place of the reply, for an English and a
Spanish ticket alike; as a turn of its own, neither did."""
ESCALATION_LINE = "\nThe case was handed to a person (escalation {id}): {reason}."
OUTCOME_WORDS = {
    "done": "done",
    "denied": "not possible",
    "awaiting_approval": "being reviewed by a colleague",
    "failed": "could not be completed",
}
ESCALATION_NOTE = "A colleague will look at your case personally and contact you (reference {id})."


@dataclass(frozen=True)
class ReplyBrief:
    """What the reply is about: the customer, the ticket, the findings, the actions."""

    name: str
    ticket: str
    findings: str
    actions: Sequence[Mapping[str, Any]]
    escalation: Mapping[str, Any] | None = None


def style_path() -> Path:
    """The operator's style guide if there is one, else the shipped default."""
    override = teamgraph_home() / STYLE_FILE
    return override if override.exists() else DEFAULT_STYLE


def load_style_guide(path: Path | None = None) -> str:
    """The brand voice, read from ``path`` (default: :func:`style_path`)."""
    where = path or style_path()
    try:
        text = where.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise InputError(f"Cannot read the style guide {where}: {error}.") from error
    if not text:
        raise InputError(f"The style guide {where} is empty: write the brand voice in it.")
    return text


def describe_action(action: Mapping[str, Any]) -> str:
    """One action and its outcome, in plain words (a done action by what was done)."""
    if action["status"] == "done" and action.get("reason"):
        return f"- {action['reason']}: done"
    args = ", ".join(
        f"{k} {money_text(v) if k == 'amount' and isinstance(v, float | int) else v}"
        for k, v in action["args"].items()
        if k != "reason"
    )
    what = action["action"].replace("_", " ") + (f" ({args})" if args else "")
    outcome = OUTCOME_WORDS.get(action["status"], action["status"])
    return f"- {what}: {outcome}" + (f" ({action['reason']})" if action.get("reason") else "")


def actions_text(actions: Sequence[Mapping[str, Any]]) -> str:
    """Every action and its outcome, one per line ("none" when nothing was proposed)."""
    return "\n".join(describe_action(a) for a in actions) or "none"


def message_to_send(drafts: Sequence[str]) -> str:
    """The latest draft that holds a message.

    A draft left empty (it held only the writer's instructions) is passed over for the
    one before it, even if the critic sent that one back.
    """
    return next((draft for draft in reversed(drafts) if draft.strip()), "")


def compose_reply(
    draft: str, actions: Sequence[Mapping[str, Any]], escalation: Mapping[str, Any] | None
) -> str:
    """The reply as sent: the writer's message, the actions' outcomes, the escalation note."""
    parts = [draft.strip()]
    if actions:
        parts.append("What we did:\n" + actions_text(actions))
    if escalation:
        parts.append(ESCALATION_NOTE.format(id=escalation["id"]))
    return "\n\n".join(part for part in parts if part)


def write_reply(
    caller: RoleCaller,
    brief: ReplyBrief,
    style: str,
    previous: str | None = None,
    feedback: str | None = None,
) -> str:
    """Draft the reply, or rewrite ``previous`` (the writer's last turn) applying ``feedback``.

    Lines that repeat the writer's instructions (the style guide, this prompt) are left
    out: they are never sent, and a draft that held nothing else comes back empty.
    """
    escalation = (
        ESCALATION_LINE.format(id=brief.escalation["id"], reason=brief.escalation["reason"])
        if brief.escalation
        else ""
    )
    request = REPLY_REQUEST.format(
        name=brief.name,
        ticket=brief.ticket,
        findings=brief.findings,
        actions=actions_text(brief.actions),
        escalation=escalation,
    )
    system = f"{REPLY_SYSTEM.format(style=style)}\n\n{in_their_language(brief.ticket, 'ticket')}"
    messages: list[BaseMessage] = [SystemMessage(system), HumanMessage(request)]
    if previous is not None:
        rewrite = REVISION_REQUEST.format(name=brief.name, feedback=feedback or "none")
        messages += (
            [AIMessage(previous), HumanMessage(rewrite)] if previous else [HumanMessage(rewrite)]
        )
    return without_echo(written_reply(caller, messages, "reply"), system)
