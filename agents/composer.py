"""The Composer: turns a picture's description into a musical brief.

Wire format (:class:`Brief`): ``{"title", "mood", "key", "mode", "tempo_bpm", "meter",
"instruments", "progression", "dynamics", "seconds"}``, instruments as General MIDI
names and the progression as Roman numerals in the key, checked musically as well as
by type. Fallback (documented): the brief made in code from the picture's measurements
(:func:`tools.music.suggest.suggest_brief`), marked as a fallback by ``decide``; also
when the model gives no reply at all (a call that timed out on every try, a provider
that is down), so the piece is still written.
"""

from __future__ import annotations

from typing import Annotated, Self

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, model_validator

from agents.llm.calls import RoleCaller
from agents.llm.structured import Decision, decide
from tools.kernel.errors import ModelCallError
from tools.music.brief import (
    DYNAMIC_MARKS,
    MAX_CHORDS,
    MAX_INSTRUMENTS,
    SECONDS_RANGE,
    TEMPO_RANGE,
    MusicBrief,
    brief_problems,
    checked_brief,
)
from tools.music.instruments import GM_NAMES
from tools.music.theory import KEY_NAMES, METERS, MODES, NUMERAL_PATTERN

Instrument = Annotated[str, Field(json_schema_extra={"enum": list(GM_NAMES)})]
Numeral = Annotated[str, Field(pattern=NUMERAL_PATTERN)]
Mark = Annotated[str, Field(json_schema_extra={"enum": list(DYNAMIC_MARKS)})]


class Brief(BaseModel):
    """The composer's wire format: a brief for a short instrumental piece."""

    title: str = Field(min_length=1, max_length=80, description="A short title.")
    mood: str = Field(min_length=1, max_length=160, description="The mood, in a few words.")
    key: str = Field(description="The tonic.", json_schema_extra={"enum": list(KEY_NAMES)})
    mode: str = Field(description="The mode.", json_schema_extra={"enum": list(MODES)})
    tempo_bpm: int = Field(
        ge=TEMPO_RANGE[0], le=TEMPO_RANGE[1], description="Quarter notes per minute."
    )
    meter: str = Field(description="The time signature.", json_schema_extra={"enum": list(METERS)})
    instruments: list[Instrument] = Field(
        min_length=1,
        max_length=MAX_INSTRUMENTS,
        description="General MIDI names, e.g. Acoustic Grand Piano, Flute, Acoustic Bass.",
    )
    progression: list[Numeral] = Field(
        min_length=2,
        max_length=MAX_CHORDS,
        description="Chords as Roman numerals in the key (I major, i minor), one per bar.",
    )
    dynamics: list[Mark] = Field(
        min_length=1, max_length=4, description="Dynamic marks from the start to the end."
    )
    seconds: float = Field(
        ge=SECONDS_RANGE[0], le=SECONDS_RANGE[1], description="Length in seconds."
    )

    @model_validator(mode="after")
    def _is_music(self) -> Self:
        """Key, mode, meter, instruments, numerals and marks must all be real ones."""
        problems = brief_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def to_music(self) -> MusicBrief:
        """The checked brief, names in their canonical spelling."""
        return checked_brief(self.model_dump())

    @classmethod
    def from_music(cls, brief: MusicBrief) -> Brief:
        """The wire form of a checked brief."""
        return cls.model_validate(brief.as_dict())


COMPOSER_SYSTEM = (
    "You are a Composer. From the description of a picture, write the brief for a short "
    "instrumental piece that fits its mood, light and colours. Choose a key and a mode "
    "(major or lydian for bright and happy, mixolydian for warm and easy, dorian or minor "
    "for dark or sad, phrygian for tense), a tempo (50-80 calm, 80-120 moderate, 120-180 "
    "lively), a meter, one to four General MIDI instruments, two to eight chords as Roman "
    "numerals in the key (upper case major, lower case minor: I V vi IV, or i VI III VII), "
    "and the dynamics from start to end (pp, p, mp, mf, f, ff)."
)
COMPOSER_REQUEST = (
    "The picture: {description}\n\nMeasured from its pixels: {measurements}\n\n"
    "Length: {seconds:g} seconds."
)
SENT_BACK = "\n\nYour last brief was sent back: {problems} Write a brief that fits the picture."


def write_brief(
    caller: RoleCaller,
    description: str,
    measurements: str,
    seconds: float,
    fallback: MusicBrief,
    sent_back: str = "",
) -> Decision[Brief]:
    """Ask the Composer for a brief; ``fallback`` (made from the measurements) if none validates."""
    request = COMPOSER_REQUEST.format(
        description=description, measurements=measurements, seconds=seconds
    )
    if sent_back:
        request += SENT_BACK.format(problems=sent_back)
    messages = [SystemMessage(COMPOSER_SYSTEM), HumanMessage(request)]
    try:
        return decide(caller, messages, Brief, fallback=Brief.from_music(fallback))
    except ModelCallError as error:
        return Decision(Brief.from_music(fallback), 1, True, [f"no reply: {error}"])
