"""The support team's spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.spec import TeamResult, TeamSpec, lazy_build_graph, run_outcome
from graphs.support import narration
from graphs.support.result import RESULT, STOP_WORDS, public
from graphs.support.settings import (
    ROLES,
    SPECIALISTS,
    SupportSettings,
)


def make_input(request: str, material: str = "") -> dict[str, Any]:
    """A ticket (and earlier work, appended) as the team's input; the customer is a setting."""
    ticket = f"{request}\n\n{material}" if material else request
    return {"ticket": ticket}


def read_result(state: Mapping[str, Any]) -> TeamResult:
    """The reply to the customer."""
    return TeamResult(
        text=str(state.get("reply") or ""), citations=[], stop_reason=state.get("stop_reason")
    )


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a support run."""
    found = state.get("findings") or {}
    return {
        "customer_id": state.get("customer_id"),
        "ticket_id": state.get("ticket_id"),
        "ticket": state.get("ticket"),
        "triage": state.get("triage"),
        "findings": [found[role] for role in SPECIALISTS if role in found],
        "actions": [public(a) for a in state.get("actions") or []],
        "reply": state.get("reply") or "",
        "escalated": bool(state.get("escalation")),
        "escalation": state.get("escalation"),
        "rating": state.get("rating"),
        "revisions": state.get("revisions", 0),
        **run_outcome(state),
    }


SPEC = TeamSpec(
    name="support",
    description="A telecom help desk: triage, account and diagnosis agents at the same time, "
    "actions checked by a policy and approved by a person, a reply in the brand voice.",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.support"),
    settings=SupportSettings,
    make_input=make_input,
    read_result=read_result,
    report=report,
    request_key="ticket",
    result=RESULT,
    stop_words=STOP_WORDS,
    text_nodes=("writer",),
    view=narration.view,
)
