"""A person's notes on a draft: binding on every later draft of the run.

When a person sends a draft back ("make it much shorter"), the Writer reads all their
notes so far beside the plan, and the notes win where the two disagree.
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
