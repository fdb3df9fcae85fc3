"""The compose team's settings (its graph's context schema, editable in Studio)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphs.common.settings import RunSettings, model_setting
from tools.music.span import SAMPLE_RATE, SECONDS_RANGE

ROLES = ("describer", "composer")
DEFAULT_SECONDS = 30.0


@dataclass(kw_only=True)
class ComposeSettings(RunSettings):
    """Settings of one image-to-music run."""

    seconds: float = field(
        default=DEFAULT_SECONDS,
        metadata={"description": "Length of the piece in seconds (1 to 300)."},
    )
    seed: int = field(
        default=0,
        metadata={
            "description": "Seed of the composer and renderer: same brief and seed, same files."
        },
    )
    renderer: str = field(
        default="auto",
        metadata={
            "description": "Who turns the score into audio: auto (a SoundFont when one is "
            "installed, else synth), synth, soundfont, or module:attribute of your own."
        },
    )
    sample_rate: int = field(
        default=SAMPLE_RATE, metadata={"description": "Audio frames per second of the WAV."}
    )
    describer_sees: Literal["auto", "yes", "no"] = field(
        default="auto",
        metadata={
            "description": "Whether the describer's model is sent the picture: auto (its "
            "model profile decides), yes or no. The embedded model never is."
        },
    )
    max_brief_returns: int = field(
        default=1,
        metadata={"description": "Most times a brief that contradicts the picture is sent back."},
    )
    describer_model: str = model_setting("describer")
    composer_model: str = model_setting("composer")

    def __post_init__(self) -> None:
        """Refuse a length, seed, rate or bound that cannot be used."""
        super().__post_init__()
        shortest, longest = SECONDS_RANGE
        if not shortest <= self.seconds <= longest:
            raise ValueError(f"seconds must be from {shortest:g} to {longest:g}.")
        if self.seed < 0:
            raise ValueError("seed must be 0 or more.")
        if not 8000 <= self.sample_rate <= 192000:
            raise ValueError("sample_rate must be from 8000 to 192000.")
        if self.max_brief_returns < 0:
            raise ValueError("max_brief_returns must be 0 or more.")
        if self.describer_sees not in ("auto", "yes", "no"):
            raise ValueError("describer_sees must be auto, yes or no.")
