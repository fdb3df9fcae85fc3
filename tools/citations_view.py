"""Plain-text rendering of numbered citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tools.sources import citation_label


def format_citations(citations: Sequence[Mapping[str, Any]]) -> str:
    """One ``[n] reference`` line per citation."""
    return "\n".join(f"[{c['number']}] {citation_label(c)}" for c in citations)
