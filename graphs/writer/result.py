"""The writer team's result: the state key holding it, its best so far, its stop reasons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.stops import ResultKey

STOP_WORDS: dict[str, str] = {
    "approved": "approved by the Critic and the Manager",
    "max_revisions": "the revision cap was reached",
    "manager_return_limit": "the Manager sent it back as often as allowed",
    "human_approved": "approved by a person",
    "human_revised": "rewritten on a person's notes (as often as they may send it back)",
}
"""Each stop reason of the team in words (the run limits' words are shared)."""


def piece_so_far(state: Mapping[str, Any]) -> str:
    """The finished piece, else the latest draft."""
    drafts = state.get("drafts") or []
    return str(state.get("final_text") or (drafts[-1] if drafts else ""))


RESULT = ResultKey("final_text", piece_so_far)
"""The piece is the team's result."""
