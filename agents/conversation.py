"""Earlier turns of a thread, rendered for prompts."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import TypedDict

RECENT_TURNS = 3
ANSWER_CHARS = 600


class Turn(TypedDict):
    """One finished question and its answer."""

    question: str
    answer: str


def render_turns(turns: Sequence[Turn], limit: int = RECENT_TURNS) -> str:
    """The last ``limit`` turns as ``Q:``/``A:`` lines, or "" when there are none."""
    recent = list(turns)[-limit:]
    return "\n".join(
        f"Q: {turn['question']}\nA: {turn['answer'][:ANSWER_CHARS]}" for turn in recent
    )


def conversation_block(turns: Sequence[Turn]) -> str:
    """Earlier turns as a prompt block ending in a blank line, or ""."""
    rendered = render_turns(turns)
    return f"Conversation so far:\n{rendered}\n\n" if rendered else ""
