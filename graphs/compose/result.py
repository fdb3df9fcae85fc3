"""The compose team's result: the state key holding it, its best so far, its stop reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey

STOP_WORDS: dict[str, str] = {
    "rendered": "the music was written",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


def summary_so_far(state: Mapping[str, Any]) -> str:
    """The line saying what was written ("" until the audio is rendered)."""
    return str(state.get("summary") or "")


RESULT = ResultKey("summary", summary_so_far)
"""The line saying what was written is the team's result."""
