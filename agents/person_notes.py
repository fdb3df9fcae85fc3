"""A person's notes on a draft: binding on every later draft, critique and review.

When a person sends a draft back ("make it much shorter"), the Writer, the Critic and the
Manager each read the notes beside the plan, and the notes win where the two disagree: a
Critic judging against the plan alone would ask for the length the person asked to lose.
"""

from __future__ import annotations

from collections.abc import Sequence

PERSON_NOTES = (
    "\n\nA person's notes on earlier drafts (they come first: where they disagree with the "
    "plan, the outline or the usual length, follow the notes):\n{notes}"
)


def person_notes_block(notes: Sequence[str]) -> str:
    """The notes as a block to append to a request ("" when there are none)."""
    kept = [note.strip() for note in notes if note.strip()]
    return PERSON_NOTES.format(notes="\n".join(f"- {note}" for note in kept)) if kept else ""
