"""Resolution proposes the actions; the policy in code decides which may run, wait or not."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from langgraph.runtime import Runtime

from agents.support.investigation import clipped
from agents.support.resolution import propose_actions
from graphs.support.desk import SupportCrew, customer_records, database_path, run_context
from graphs.support.settings import SPECIALISTS, SupportSettings
from graphs.support.state import ActionRecord, ActionStatus, RefusedProposal, SupportState
from tools.support_db.actions import action_id, record_decision, record_refused
from tools.support_db.policy import PolicyNumbers, Verdict, check_action
from tools.support_db.records import desk_today

RECORDS_CHARS = 1000
"""Characters of each specialist's records the resolution agent reads."""
REFUSED_REPLY_CHARS = 1000
"""Characters of a refused reply kept in the audit log."""
STATUS_OF: dict[str, ActionStatus] = {
    "allowed": "allowed",
    "needs_approval": "awaiting_approval",
    "denied": "denied",
}


def findings_text(state: Mapping[str, Any], role: str) -> str:
    """One specialist's findings as text (summary, then problems)."""
    record = (state.get("findings") or {}).get(role)
    if not record:
        return ""
    problems = "; ".join(record["problems"]) or "none"
    return f"{record['summary']}\nProblems: {problems}"


def records_text(state: Mapping[str, Any]) -> str:
    """What both specialists read, each cut to :data:`RECORDS_CHARS`."""
    records = state.get("records") or {}
    return "\n\n".join(
        clipped(records.get(role) or "(nothing yet)", RECORDS_CHARS) for role in SPECIALISTS
    )


def resolution(
    state: SupportState, runtime: Runtime[SupportSettings], *, crew: SupportCrew
) -> dict[str, Any]:
    """The resolution agent proposes actions (``none`` is dropped: nothing to do)."""
    shift = crew.shift(state, runtime)
    triage = state.get("triage") or {}
    decision = propose_actions(
        shift.caller("resolution"),
        state["ticket"],
        f"{triage.get('category')}, urgency {triage.get('urgency')}: {triage.get('summary')}",
        {role: findings_text(state, role) for role in SPECIALISTS},
        records_text(state),
    )
    proposal = [
        {"action": item.action, "args": item.used_args(), "reason": item.reason}
        for item in decision.value.actions
        if item.action != "none"
    ]
    refused = [
        RefusedProposal(reply=reply[:REFUSED_REPLY_CHARS], error=error)
        for reply, error in zip(decision.refused, decision.errors, strict=True)
    ]
    return {
        "proposal": proposal,
        "refused_proposals": refused,
        "resolution_fallback": decision.fallback_used,
        "fallbacks": decision.notes("resolution"),
        **shift.spent(),
    }


def _record(
    identity: str, proposed: Mapping[str, Any], row: Mapping[str, Any], verdict: Verdict
) -> ActionRecord:
    return ActionRecord(
        id=identity,
        action=str(proposed["action"]),
        args=json.loads(row["args"]),
        status=row["status"],
        reason=row["reason"],
        rule=row["rule"],
        proposed_because=str(proposed.get("reason") or ""),
        auto_approvable=verdict.auto_approvable,
    )


def policy(state: SupportState) -> dict[str, Any]:
    """Check every proposed action against the policy; record each decision once, audited.

    A reply refused before the policy (an unknown action, a bad amount) is audited too.
    """
    numbers = PolicyNumbers.model_validate(state["policy"])
    context = run_context(state)
    earlier: list[tuple[str, dict[str, Any], str]] = []
    actions: list[ActionRecord] = []
    with customer_records(state) as (connection, records):
        for index, refused in enumerate(state.get("refused_proposals") or []):
            path = database_path(state)
            record_refused(connection, path, context, index, refused["reply"], refused["error"])
        today = desk_today(connection)
        for index, proposed in enumerate(state.get("proposal") or []):
            name, args = str(proposed["action"]), dict(proposed.get("args") or {})
            verdict = check_action(name, args, records, numbers, earlier, today)
            identity = action_id(context["run_id"], index, name, args)
            decision = (STATUS_OF[verdict.status], verdict.rule, verdict.reason)
            row = record_decision(
                connection, database_path(state), context, identity, name, verdict.args, decision
            )
            earlier.append((name, verdict.args, row["status"]))
            actions.append(_record(identity, proposed, row, verdict))
    return {"actions": actions}
