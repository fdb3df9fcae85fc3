"""The team team's result: the state key holding it, its best so far, its stop reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey


def result_so_far(state: Mapping[str, Any]) -> str:
    """The result, else the last member team's text."""
    outputs = state.get("outputs") or []
    return str(state.get("final") or (outputs[-1]["text"] if outputs else ""))


RESULT = ResultKey("final", result_so_far)
"""The last team's text is the result."""
