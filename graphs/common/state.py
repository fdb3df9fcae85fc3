"""State fields every team has: its run, the models it used, what it spent, a limit's stop."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Annotated

from typing_extensions import TypedDict

from agents.llm.structured import FallbackNote
from agents.llm.usage import UsageByRole, latest_usage
from graphs.common.run import RunRecord
from graphs.common.stops import BudgetStop


def merged(left: Mapping[str, str], right: Mapping[str, str]) -> dict[str, str]:
    """Both mappings in one (the right one wins a key both have): role -> model, for one."""
    return {**left, **right}


class RunFields(TypedDict, total=False):
    """The part of a team's state about the run itself."""

    run: RunRecord
    """The run this state belongs to (its ledger's id and limits)."""
    models: Annotated[dict[str, str], merged]
    """Role -> model name used in this run (a resume with other models names them)."""
    usage: Annotated[UsageByRole, latest_usage]
    """Per role: calls, tokens, seconds and cost of this run, from the run's ledger."""
    budget_stop: BudgetStop | None
    """The run limit that ended the run, if one did."""
    fallbacks: Annotated[list[FallbackNote], operator.add]
    """Every decision of this run whose replies never validated (its fallback was used)."""
