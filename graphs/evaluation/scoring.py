"""Answer scoring: normalised exact match, token F1 and containment of the gold answers."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from typing import Any

from typing_extensions import TypedDict

ARTICLES = re.compile(r"\b(a|an|the)\b")


class Scores(TypedDict):
    """One prediction's scores against its gold answers (each from 0 to 1)."""

    exact_match: float
    f1: float
    containment: float


def normalise(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces (SQuAD-style)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    return " ".join(ARTICLES.sub(" ", text).split())


def gold_strings(answer: Any) -> list[str]:
    """Every leaf of a gold answer (dict keys and values, list items, scalars) as text."""
    if isinstance(answer, dict):
        return [s for key, value in answer.items() for s in [str(key), *gold_strings(value)]]
    if isinstance(answer, list | tuple):
        return [s for item in answer for s in gold_strings(item)]
    if isinstance(answer, bool):
        return ["yes" if answer else "no"]
    return [str(answer)]


def token_f1(prediction: str, reference: str) -> float:
    """F1 over normalised tokens of two texts."""
    predicted, expected = normalise(prediction).split(), normalise(reference).split()
    common = sum((Counter(predicted) & Counter(expected)).values())
    if not predicted or not expected or common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def evidence_recall(used: Sequence[str], evidence: Sequence[str]) -> float | None:
    """The share of the gold evidence pages among the sources used (None if none is known).

    Pages are compared by normalised title, so ``2022 FIFA World Cup`` found offline and
    online count as one page.
    """
    gold = {normalise(title) for title in evidence if normalise(title)}
    if not gold:
        return None
    found = {normalise(title) for title in used}
    return len(gold & found) / len(gold)


def score(prediction: str, gold: Sequence[str]) -> Scores:
    """Score ``prediction`` against the gold strings.

    Exact match: it equals one gold string, or all of them joined. Token F1: against
    all gold strings joined. Containment: the share of gold strings it contains.
    """
    normalised = normalise(prediction)
    golds = [normalise(g) for g in gold if normalise(g)]
    joined = " ".join(golds)
    exact = 1.0 if golds and (normalised in golds or normalised == joined) else 0.0
    contained = sum(1 for g in golds if g in normalised) / len(golds) if golds else 0.0
    return Scores(exact_match=exact, f1=token_f1(prediction, joined), containment=contained)
