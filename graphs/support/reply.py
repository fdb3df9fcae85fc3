"""The reply: the writer drafts it in the brand voice, the critic checks it (bounded rewrites)."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.support.reply import ReplyBrief, load_style_guide, write_reply
from agents.support.reply_critic import critique_reply
from graphs.common.reflection import critique_record, next_draft, revise_again
from graphs.support.desk import SupportCrew, customer_records
from graphs.support.proposals import findings_text
from graphs.support.settings import SPECIALISTS, SupportSettings
from graphs.support.state import SupportState


def reply_brief(state: SupportState) -> ReplyBrief:
    """What the writer and the critic know: the customer's name, ticket, findings, actions."""
    with customer_records(state) as (_, records):
        name = str(records.profile()["name"])
    found = "\n".join(
        f"{role}: {text}" for role in SPECIALISTS if (text := findings_text(state, role))
    )
    return ReplyBrief(
        name=name,
        ticket=state["ticket"],
        findings=found or "(nothing found)",
        actions=list(state.get("actions") or []),
        escalation=state.get("escalation"),
    )


def writer(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """The writer drafts the reply, or rewrites it on the critic's latest feedback."""
    shift = crew.shift(state, runtime)
    previous, feedback, update = next_draft(state)
    text = write_reply(
        shift.caller("writer"), reply_brief(state), load_style_guide(), previous, feedback
    )
    return {**update, "drafts": [text], **shift.spent()}


def critic(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """The critic checks the reply as it will be sent: tone, accuracy, nothing promised."""
    shift = crew.shift(state, runtime)
    decision = critique_reply(
        shift.caller("critic"), reply_brief(state), state["drafts"][-1], load_style_guide()
    )
    record = critique_record(state, decision)
    return {"critiques": [record], "fallbacks": decision.notes("critic"), **shift.spent()}


def route_after_critique(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> Literal["writer", "feedback"]:
    """Back to the writer until the critic approves or the revision cap is reached."""
    again = revise_again(state, crew.settings(runtime).max_revisions)
    return "writer" if again else "feedback"
