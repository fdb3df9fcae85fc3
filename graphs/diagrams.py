"""Mermaid diagrams of the teams, and the README's copies of them kept equal to the graphs.

``python -m graphs.diagrams`` rewrites every block that follows a
``<!-- diagram: TEAM -->`` line in README.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from graphs.registry import TEAMS
from tools.calculator import calculator

MARKED_BLOCK = re.compile(r"(<!-- diagram: (\w+) -->\n```mermaid\n)(.*?)(```)", re.DOTALL)
README = Path(__file__).resolve().parents[1] / "README.md"


def mermaid(team: str) -> str:
    """The Mermaid diagram of ``team`` (its subgraphs drawn inside), built without any model."""
    graph = TEAMS[team].build_graph(None, check_models=False, tools=[calculator])
    return str(graph.get_graph(xray=1).draw_mermaid()).rstrip() + "\n"


def with_diagrams(text: str) -> str:
    """``text`` with every marked Mermaid block replaced by its team's current diagram."""
    return MARKED_BLOCK.sub(lambda m: m.group(1) + mermaid(m.group(2)) + m.group(4), text)


def main() -> int:
    """Rewrite README.md's diagrams; exit 1 if any had drifted (they are now fixed)."""
    text = README.read_text(encoding="utf-8")
    fresh = with_diagrams(text)
    if fresh != text:
        README.write_text(fresh, encoding="utf-8")
        print("README.md diagrams updated from the graphs")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
