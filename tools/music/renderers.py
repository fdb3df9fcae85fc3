"""Renderers: how a composed piece becomes audio, and how to plug in another one.

A renderer is any object with a ``name`` and a ``render(request) -> Audio`` method
(:class:`Renderer`). Two ship with teamgraph:

- ``synth``: the numpy synthesizer, always available, the same bytes for the same seed;
- ``soundfont``: FluidSynth with a General MIDI SoundFont, when ``pyfluidsynth`` and a
  ``.sf2`` file are installed (``TEAMGRAPH_SOUNDFONT`` names the file, else the usual
  system places are searched).

``auto`` takes ``soundfont`` when it is installed, else ``synth``. Any other renderer, a
music-generation model or service for instance, is named ``module:attribute``: the
attribute is a renderer, or a class or function that returns one when called without
arguments. A request carries the score and the brief in words (``prompt``), so a
text-to-music model can ignore the notes.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from tools.kernel.errors import InputError, kind_and_reason
from tools.music.audio import Audio
from tools.music.midi import to_midi
from tools.music.score import Score
from tools.music.synth import FADE_OUT_S, PEAK, Synthesizer

SOUNDFONT_ENV = "TEAMGRAPH_SOUNDFONT"
SOUNDFONT_PLACES = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/soundfonts/default.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
)
BUILT_IN = ("auto", "synth", "soundfont")


@dataclass(frozen=True)
class RenderRequest:
    """What a renderer is given."""

    score: Score
    """The composed piece: parts with their notes, chords per bar, and the brief."""
    prompt: str
    """The brief in words, for renderers that take text."""
    description: str
    """The picture's description the brief was written from."""
    seconds: float
    """The length asked for."""
    seed: int
    sample_rate: int


@runtime_checkable
class Renderer(Protocol):
    """Turns a request into audio: float frames in [-1, 1], shaped ``(frames, channels)``."""

    name: str

    def render(self, request: RenderRequest) -> Audio:
        """The audio of ``request``."""
        ...


class SynthRenderer:
    """The numpy synthesizer: a timbre per instrument family, deterministic."""

    name = "synth"

    def render(self, request: RenderRequest) -> Audio:
        """Synthesize the score at the request's sample rate with its seed."""
        synthesizer = Synthesizer(request.sample_rate, request.seed)
        return Audio(synthesizer.render(request.score), request.sample_rate)


class SoundFontRenderer:
    """FluidSynth playing the MIDI file with a General MIDI SoundFont."""

    name = "soundfont"

    def __init__(self, soundfont: Path) -> None:
        """Play with the SoundFont file ``soundfont``."""
        self.soundfont = soundfont

    def render(self, request: RenderRequest) -> Audio:
        """The MIDI rendered by FluidSynth, fitted to the length, scaled and faded out."""
        mono = to_midi(request.score).fluidsynth(
            fs=request.sample_rate, sf2_path=str(self.soundfont)
        )
        frames = int(round(request.seconds * request.sample_rate))
        fitted = np.zeros(frames, dtype=np.float64)
        fitted[: min(frames, len(mono))] = mono[:frames]
        peak = float(np.max(np.abs(fitted)))
        if peak > 0:
            fitted *= PEAK / peak
        fade = min(int(FADE_OUT_S * request.sample_rate), frames // 4)
        if fade:
            fitted[frames - fade :] *= np.linspace(1.0, 0.0, fade)
        return Audio(np.stack([fitted, fitted], axis=1).astype(np.float32), request.sample_rate)


def find_soundfont() -> Path | None:
    """The SoundFont to use: ``TEAMGRAPH_SOUNDFONT``, else the first one in a usual place."""
    named = os.environ.get(SOUNDFONT_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    return next((Path(p) for p in SOUNDFONT_PLACES if Path(p).is_file()), None)


def soundfont_missing() -> str | None:
    """Why the SoundFont renderer cannot run here, or None when it can."""
    if importlib.util.find_spec("fluidsynth") is None:
        return "pyfluidsynth is not installed (pip install pyfluidsynth, with FluidSynth itself)"
    found = find_soundfont()
    if found is None:
        return f"no General MIDI SoundFont found: set {SOUNDFONT_ENV} to a .sf2 file"
    if not found.is_file():
        return f"{SOUNDFONT_ENV} names {found}, which is not a file"
    return None


def check_renderer(name: str) -> None:
    """Raise InputError now if ``name`` cannot be loaded (without making the renderer)."""
    choice = name.strip() or "auto"
    if choice == "soundfont" and soundfont_missing():
        raise InputError(f"The soundfont renderer cannot run: {soundfont_missing()}; or use synth.")
    if choice not in BUILT_IN:
        _check_shape(choice, _attribute(choice))


def load_renderer(name: str) -> Renderer:
    """The renderer called ``name``: auto, synth, soundfont, or ``module:attribute``."""
    choice = name.strip() or "auto"
    check_renderer(choice)
    if choice == "synth" or (choice == "auto" and soundfont_missing()):
        return SynthRenderer()
    if choice in ("auto", "soundfont"):
        return SoundFontRenderer(find_soundfont() or Path())
    return _plugged_in(choice)


def _attribute(reference: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise InputError(
            f"Unknown renderer {reference!r}: use {', '.join(BUILT_IN)} or module:attribute."
        )
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise InputError(f"Cannot load the renderer {reference!r}: {error}.") from error


def _check_shape(reference: str, found: Any) -> None:
    """Raise InputError if ``found`` can be neither a renderer nor what makes one.

    A class needs a ``render`` method; a function may make one (it is only called when the
    run renders); any other object must be a renderer itself.
    """
    if isinstance(found, type):
        shaped = callable(getattr(found, "render", None))
    else:
        shaped = callable(found) or isinstance(found, Renderer)
    if not shaped:
        raise InputError(_not_a_renderer(reference))


def _not_a_renderer(reference: str) -> str:
    return f"{reference!r} is not a renderer: it needs a name and a render(request) method."


def _plugged_in(reference: str) -> Renderer:
    found = _attribute(reference)
    made = isinstance(found, type) or (callable(found) and not isinstance(found, Renderer))
    renderer = _made(reference, found) if made else found
    if not isinstance(renderer, Renderer):
        raise InputError(_not_a_renderer(reference))
    return renderer


def _made(reference: str, make: Any) -> Any:
    """What ``make`` (a class or function named ``reference``) returns when called bare."""
    try:
        return make()
    except Exception as error:
        raise InputError(
            f"Cannot make the renderer {reference!r} (called with no arguments): "
            f"{kind_and_reason(error)}."
        ) from error
