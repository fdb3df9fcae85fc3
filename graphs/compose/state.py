"""The compose team's state, its input, and the records of briefs and their reviews."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal

from typing_extensions import TypedDict

from graphs.common.state import RunFields

StopReason = Literal["rendered", "max_calls", "max_tokens_total"]


class BriefRecord(TypedDict):
    """One brief the Composer wrote, and how it was obtained."""

    brief: dict[str, Any]
    attempts: int
    """How many times the Composer was asked before its reply validated."""
    fallback: bool
    """True if no reply validated and the brief made from the measurements was used."""
    adjustments: list[str]
    """What was changed in the brief after it validated (the length is the run's)."""


class BriefReview(TypedDict):
    """The check of one brief against the picture's measured light and warmth."""

    brief: int
    """Index into ``briefs`` of the brief checked."""
    fits: bool
    problems: list[str]
    """What in the brief contradicts the picture (empty when it fits)."""
    sent_back: bool
    """True if the brief went back to the Composer with the problems."""


class ComposeInput(TypedDict, total=False):
    """What a caller gives the team (``image`` is required)."""

    image: str
    """Path of the picture."""
    output: str
    """Path of the WAV file to write (default: the picture's name with .wav, here)."""
    midi: str | None
    """Path of a MIDI file to write as well (none: no MIDI file)."""


class ComposeState(RunFields, total=False):
    """Everything the team's nodes read and write."""

    image: str
    """Path of the picture."""
    output: str
    """Path of the WAV file."""
    midi: str | None
    """Path of the MIDI file, if one is written."""
    picture: dict[str, Any]
    """The picture's measurements (``PictureFeatures.as_dict``)."""
    description: str
    """What the describer said of the picture, or the pixel analysis."""
    description_source: Literal["model", "analysis"]
    """Who made the description: the describer's model, or the analysis in code."""
    describer_note: str
    """Why the analysis was used when it was ("" when the model described the picture)."""
    brief: dict[str, Any]
    """The brief the music is composed from (the latest one)."""
    briefs: Annotated[list[BriefRecord], operator.add]
    """Every brief written, first to last."""
    brief_fallback: bool
    """True if the brief used is the one made from the measurements."""
    brief_reviews: Annotated[list[BriefReview], operator.add]
    """Every check of a brief against the picture, in order."""
    brief_returns: int
    """Times a brief was sent back."""
    score: dict[str, Any]
    """The composed piece (``Score.as_dict``): chords per bar, parts with their notes."""
    files: dict[str, str]
    """What was written: ``wav`` and, if asked for, ``midi``."""
    audio: dict[str, Any]
    """The rendered audio: seconds, sample rate, channels, peak, RMS level, renderer."""
    summary: str
    """One line: the file, its length, key and tempo."""
    stop_reason: StopReason | None
    """Which rule ended the run."""
