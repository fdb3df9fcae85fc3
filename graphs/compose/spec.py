"""The compose team's spec: how the rest of teamgraph runs, feeds, reads and shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphs.common.spec import TeamResult, TeamSpec, lazy_build_graph, run_outcome
from graphs.compose import narration
from graphs.compose.result import RESULT, STOP_WORDS
from graphs.compose.settings import ROLES, ComposeSettings


def make_input(request: str, material: str = "") -> dict[str, Any]:
    """A picture's path as the team's input (``material`` is not used)."""
    return {"image": request}


def read_result(state: Mapping[str, Any]) -> TeamResult:
    """What was written, with the piece's length, key and tempo (or that nothing was)."""
    text = str(state.get("summary") or "")
    if not text and state.get("budget_stop"):
        text = "No music was written: the run stopped before the brief was ready."
    return TeamResult(text=text, citations=[], stop_reason=state.get("stop_reason"))


def score_summary(score: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The composed piece without its notes: bars, chords per bar, who plays what."""
    if not score:
        return None
    return {
        "bars": score["bars"],
        "seed": score["seed"],
        "chords": [chord["numeral"] for chord in score["chords"]],
        "parts": [
            {"role": p["role"], "instrument": p["instrument"], "notes": len(p["notes"])}
            for p in score["parts"]
        ],
    }


def report(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of a compose run."""
    return {
        "image": state.get("image"),
        "description": state.get("description"),
        "description_source": state.get("description_source"),
        "describer_note": state.get("describer_note"),
        "picture": state.get("picture"),
        "brief": state.get("brief"),
        "brief_fallback": state.get("brief_fallback"),
        "briefs": state.get("briefs", []),
        "brief_reviews": state.get("brief_reviews", []),
        "score": score_summary(state.get("score")),
        "files": state.get("files", {}),
        "audio": state.get("audio"),
        **run_outcome(state),
    }


SPEC = TeamSpec(
    name="compose",
    description="Image to music: the Describer describes a picture, the Composer writes a "
    "musical brief, code composes it and renders a WAV (and MIDI) file.",
    roles=ROLES,
    build_graph=lazy_build_graph("graphs.compose"),
    settings=ComposeSettings,
    make_input=make_input,
    read_result=read_result,
    report=report,
    request_key="image",
    result=RESULT,
    stop_words=STOP_WORDS,
    view=narration.view,
)
