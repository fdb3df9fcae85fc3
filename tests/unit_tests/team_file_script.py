"""Team files written for tests, and scripted models that answer their roles by prompt."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from graphs.teamfile import load_team, load_team_file
from graphs.teamfile.builder import own_roles
from tests.fakes import RoutedChatModel

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "teams"
SOURCED = """\
    name: sourced
    shape: sequential
    roles:
      - name: researcher
        role: You are the researcher.
        tools: [knowledge_base]
      - name: writer
        role: You are the writer.
"""
"""A researcher with a tool, then a writer (tests swap the toolbox for a scripted search)."""


def write_team(folder: Path, name: str, text: str) -> Path:
    """``text`` (dedented) saved as ``folder/name.yaml``."""
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def vote(answer: str) -> str:
    """A voter's reply."""
    return json.dumps({"answer": answer, "reason": "scripted"})


def pick(next_role: str, answer_from: str = "", instruction: str = "do it") -> str:
    """A supervisor manager's reply."""
    return json.dumps(
        {
            "reason": "scripted",
            "next": next_role,
            "instruction": instruction,
            "answer_from": answer_from or next_role,
        }
    )


def critique(approved: bool) -> str:
    """A reviewer's reply in the critic wire format (an approval scores above the pass mark)."""
    score = 9 if approved else 5
    return json.dumps({"approved": approved, "score": score, "feedback": "tighten it"})


def routed(*rules: tuple[str, Any], delay_s: float = 0.0) -> RoutedChatModel:
    """A model answering by the first rule whose key is in the prompt."""
    return RoutedChatModel(rules=list(rules), delay_s=delay_s)


def scripted_team(path: Path, model: Any, **build: Any) -> Any:
    """The compiled team of ``path`` with every role that calls a model on ``model``."""
    team = load_team_file(path).definition
    models = dict.fromkeys(own_roles(team), model)
    return load_team(path, models, check_models=False, **build)


def nodes_run(graph: Any, request: str, config: Any = None) -> list[str]:
    """The nodes of ``graph`` that ran on ``request``, in order (top level only)."""
    order: list[str] = []
    for chunk in graph.stream({"request": request}, config, stream_mode="updates"):
        order.extend(chunk)
    return order
