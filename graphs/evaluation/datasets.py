"""Evaluation questions: FanOutQA dev (from the ``fanoutqa`` package) or a user's JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typing_extensions import TypedDict

from graphs.evaluation.scoring import gold_strings
from tools.kernel.errors import InputError
from tools.kernel.package_data import package_dir

FANOUTQA_DEV = "fanoutqa-dev"


class Question(TypedDict):
    """One question with its gold answer strings and the pages that hold the answer."""

    id: str
    question: str
    gold: list[str]
    evidence: list[str]
    """Titles of the gold evidence pages ([] when the dataset gives none)."""


def evidence_titles(item: dict[str, Any]) -> list[str]:
    """The evidence page titles of a FanOutQA item and of its sub-questions, in order."""
    titles: list[str] = []
    page = item.get("evidence")
    if isinstance(page, dict) and page.get("title"):
        titles.append(str(page["title"]))
    for part in item.get("decomposition") or []:
        titles.extend(t for t in evidence_titles(part) if t not in titles)
    return titles


def fanoutqa_dev() -> list[Question]:
    """The 310 multi-hop questions of FanOutQA dev."""
    folder = package_dir("fanoutqa")
    if folder is None:
        raise InputError("FanOutQA is not installed: run `pip install --no-deps fanoutqa`.")
    raw = json.loads((folder / "data" / "fanout-final-dev.json").read_text(encoding="utf-8"))
    return [
        Question(
            id=str(item["id"]),
            question=item["question"],
            gold=gold_strings(item["answer"]),
            evidence=evidence_titles(item),
        )
        for item in raw
    ]


def jsonl(path: Path) -> list[Question]:
    """Questions from a JSONL file of ``{"question", "answer"}`` objects, one per line.

    An optional ``"evidence"`` list of page titles lets the report give evidence recall.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror or error}.") from error
    questions: list[Question] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question, answer = item["question"], item["answer"]
            if not isinstance(question, str) or not question.strip():
                raise ValueError("'question' must be a non-empty string")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            detail = f"missing {error}" if isinstance(error, KeyError) else str(error)
            raise InputError(
                f'{path}, line {number}: not a {{"question", "answer"}} object ({detail}).'
            ) from None
        questions.append(
            Question(
                id=str(item.get("id", number)),
                question=question,
                gold=gold_strings(answer),
                evidence=[str(title) for title in item.get("evidence") or []],
            )
        )
    if not questions:
        raise InputError(f"{path} holds no questions.")
    return questions


def load(dataset: str) -> list[Question]:
    """``fanoutqa-dev`` or the path of a JSONL file."""
    if dataset == FANOUTQA_DEV:
        return fanoutqa_dev()
    path = Path(dataset)
    if not path.exists():
        raise InputError(f"No dataset {dataset!r}: use {FANOUTQA_DEV} or a JSONL file path.")
    return jsonl(path)
