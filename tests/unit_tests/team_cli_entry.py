"""The CLI in a process of its own with a scripted team of teams (no model, no network).

``python -m tests.unit_tests.team_cli_entry ARGS...`` runs ``teamgraph ARGS...``. The
Manager routes to research then writer; the research plan has two tasks; every draft
is approved by the Critic and the Manager. ``TEAM_SCRIPT_ROUTE=writer`` routes to the
writer alone; ``TEAM_SCRIPT_SLOW_S`` makes the Writer take that long per draft.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time

from graphs import react, registry, research, team, writer
from graphs.cli import main
from tests.fakes import RoutedChatModel, make_instant_search
from tests.unit_tests.research_script import (
    ANSWER,
    CHOOSER,
    DECIDER,
    FINAL,
    PLANNER,
    QUERIES,
    REFLECT,
    decision,
    echo_answer,
    plan,
    subtask,
    sufficient,
)
from tests.unit_tests.writer_script import PLAN, critique, verdict

ROUTE = "You are the Manager of a team of teams"
WRITER = "You are a skilled Writer"


def _draft(prompt: str) -> str:
    time.sleep(float(os.environ.get("TEAM_SCRIPT_SLOW_S", "0")))
    return f"Draft {prompt.count('Rewrite') + prompt.count('instructions') + 1} on bees."


def model() -> RoutedChatModel:
    """One model answering every role of the team of teams by its prompt."""
    route = os.environ.get("TEAM_SCRIPT_ROUTE", "research,writer").split(",")
    return RoutedChatModel(
        rules=[
            (ROUTE, json.dumps({"reason": "scripted", "teams": route})),
            (DECIDER, decision("B")),
            (PLANNER, plan((1, "alpha", []), (2, "beta", [1]))),
            (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
            (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
            (ANSWER, lambda p: echo_answer(p) + " [1]"),
            (REFLECT, sufficient(True)),
            (FINAL, "Alpha and beta [1]."),
            ("Plan a short piece", PLAN),
            ("Judge whether the finished piece", verdict(True)),
            (WRITER, _draft),
            ("You are a demanding Critic", critique(True, 9)),
        ]
    )


def scripted_team_build():
    """A stand-in for the team of teams' ``build_graph``: every team on one scripted model."""
    scripted = model()

    def build(_models, *, tools=None, checkpointer=None, store=None, approve=False, **settings):
        limits = {k: v for k, v in settings.items() if k in ("max_calls", "max_tokens_total")}
        search = [make_instant_search()]
        members = {
            "research": research.build_graph(
                dict.fromkeys(research.ROLES, scripted),
                tools=search,
                tool_policy="model",
                approve_plan=approve,
            ),
            "writer": writer.build_graph(
                dict.fromkeys(writer.ROLES, scripted), approve_draft=approve
            ),
            "react": react.build_graph(dict.fromkeys(react.ROLES, scripted), tools=search),
        }
        return team.build_graph(
            {"manager": scripted}, checkpointer=checkpointer, store=store, teams=members, **limits
        )

    return build


def install() -> None:
    """The registry builds the team of teams on the scripted model."""
    spec = registry.TEAMS["team"]
    registry.TEAMS["team"] = dataclasses.replace(spec, build_graph=scripted_team_build())


if __name__ == "__main__":
    install()
    sys.exit(main(sys.argv[1:]))
