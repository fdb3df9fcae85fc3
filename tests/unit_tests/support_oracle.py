"""A scripted desk that does what the suite expects: it proves the scorer can reach 100%."""

from __future__ import annotations

import json

from graphs.evaluation.support_suite import SupportTicket, load_suite
from tests.fakes import RoutedChatModel
from tests.unit_tests.support_script import (
    ACCOUNT,
    CRITIC,
    DIAGNOSIS,
    RESOLUTION,
    TRIAGE,
    WRITER,
    critique,
    findings,
)


def oracle(tickets: list[SupportTicket] | None = None) -> RoutedChatModel:
    """One model for every role, answering each ticket as the suite expects."""
    suite = tickets or load_suite()

    def ticket_in(prompt: str) -> SupportTicket:
        [found] = [t for t in suite if t.ticket in prompt]
        return found

    def triage(prompt: str) -> str:
        chosen = ticket_in(prompt)
        return json.dumps(
            {
                "category": chosen.triage_category,
                "urgency": "normal",
                "sentiment": 0,
                "summary": chosen.ticket[:100],
            }
        )

    def resolution(prompt: str) -> str:
        expected = ticket_in(prompt).expected_actions
        actions = [
            {"action": a.action, "args": a.args, "reason": "as the records show"} for a in expected
        ]
        return json.dumps({"actions": actions or [{"action": "none", "args": {}, "reason": "ok"}]})

    return RoutedChatModel(
        rules=[
            (TRIAGE, triage),
            (ACCOUNT, findings("checked the records")),
            (DIAGNOSIS, findings("checked the records")),
            (RESOLUTION, resolution),
            (CRITIC, critique()),
            (WRITER, "Hello, we have looked into your request. The Support team"),
        ],
        label="oracle",
    )
