"""The compose team's nodes and routes: describe, write the brief, review it, compose, render."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.composer import write_brief as ask_for_brief
from agents.describer import Description, analysis_only, describe_picture, sight
from agents.llm.embedded import is_local
from graphs.common.crew import Crew, Shift
from graphs.common.settings import model_override
from graphs.compose.settings import ComposeSettings
from graphs.compose.state import BriefRecord, BriefReview, ComposeState
from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.files import check_writable, write_all_atomically
from tools.music.audio import Audio, checked_audio
from tools.music.brief import MusicBrief, checked_brief
from tools.music.composer import compose
from tools.music.fit import mismatches
from tools.music.midi import midi_bytes
from tools.music.renderers import RenderRequest, check_renderer, load_renderer
from tools.music.score import Score
from tools.music.suggest import suggest_brief
from tools.music.wav import wav_bytes
from tools.pictures.analysis import PictureFeatures, analyse
from tools.pictures.encoding import MIME_TYPE, picture_for_model
from tools.pictures.loading import Picture, open_picture
from tools.pictures.wording import describe_features, measurements

ComposeCrew = Crew[ComposeSettings]


def targets(state: Mapping[str, Any]) -> tuple[Path, Path | None]:
    """The WAV and MIDI paths of the run, checked writable (the WAV defaults to IMAGE.wav)."""
    image = Path(state.get("image") or "")
    wav = Path(state.get("output") or f"{image.stem}.wav")
    midi = Path(str(state["midi"])) if state.get("midi") else None
    if wav.suffix.lower() != ".wav":
        raise InputError(f"The output {wav} must be a .wav file.")
    if midi is not None and midi.suffix.lower() not in (".mid", ".midi"):
        raise InputError(f"The MIDI file {midi} must end in .mid or .midi.")
    for path in (wav, midi):
        if path is not None:
            check_writable(path)
    return wav, midi


def _description(shift: Shift[ComposeSettings], picture: Picture, analysis: str) -> Description:
    """The describer's words when its model can see, else the analysis (saying why)."""
    override = model_override(shift.settings, "describer") or None
    models = shift.crew.models
    setting = models.setting("describer", override)
    model = None if is_local(setting) else models.get("describer", override)
    seen = sight(setting, model, shift.settings.describer_sees)
    if not seen.sees:
        return analysis_only(analysis, f"the describer's model cannot see: {seen.reason}")
    return describe_picture(
        shift.caller("describer"), picture_for_model(picture), MIME_TYPE, analysis
    )


def describe(
    state: ComposeState, runtime: Runtime[ComposeSettings], *, crew: ComposeCrew
) -> dict[str, Any]:
    """Read and measure the picture; the describer describes it if its model can see."""
    if not str(state.get("image") or "").strip():
        raise InputError("No picture given: pass the path of a picture as image.")
    wav, midi = targets(state)
    shift = crew.start(runtime)
    check_renderer(shift.settings.renderer)
    picture = open_picture(Path(str(state["image"])))
    features = analyse(picture)
    description = _description(shift, picture, describe_features(features))
    return {
        "output": str(wav),
        "midi": str(midi) if midi else None,
        "picture": features.as_dict(),
        "description": description.text,
        "description_source": description.source,
        "describer_note": description.note,
        "briefs": Overwrite([]),
        "brief_reviews": Overwrite([]),
        "brief_returns": 0,
        "stop_reason": None,
        "budget_stop": None,
        **shift.opening(),
    }


def _pinned(brief: MusicBrief, seconds: float) -> tuple[MusicBrief, list[str]]:
    """The brief at the run's length (the length is the caller's, not the model's)."""
    if brief.seconds == seconds:
        return brief, []
    note = f"seconds {brief.seconds:g} -> {seconds:g} (the length asked for)"
    return checked_brief({**brief.as_dict(), "seconds": seconds}), [note]


def write_brief(
    state: ComposeState, runtime: Runtime[ComposeSettings], *, crew: ComposeCrew
) -> dict[str, Any]:
    """The Composer writes the brief (again with the problems, when it was sent back)."""
    shift = crew.shift(state, runtime)
    features = PictureFeatures.from_dict(state["picture"])
    reviews = state.get("brief_reviews") or []
    problems = " ".join(reviews[-1]["problems"]) if reviews and reviews[-1]["sent_back"] else ""
    seconds = shift.settings.seconds
    decision = ask_for_brief(
        shift.caller("composer"),
        state["description"],
        measurements(features),
        seconds,
        suggest_brief(features, seconds),
        problems,
    )
    brief, adjustments = _pinned(decision.value.to_music(), seconds)
    record = BriefRecord(
        brief=brief.as_dict(),
        attempts=decision.attempts,
        fallback=decision.fallback_used,
        adjustments=adjustments,
    )
    return {
        "brief": brief.as_dict(),
        "brief_fallback": decision.fallback_used,
        "briefs": [record],
        "fallbacks": decision.notes("composer"),
        **shift.spent(),
    }


def review_brief(
    state: ComposeState, runtime: Runtime[ComposeSettings], *, crew: ComposeCrew
) -> dict[str, Any]:
    """Check the brief against the picture's light and warmth; send it back once if it clashes."""
    problems = mismatches(
        checked_brief(state["brief"]), PictureFeatures.from_dict(state["picture"])
    )
    returns = state.get("brief_returns", 0)
    send_back = bool(problems) and returns < crew.settings(runtime).max_brief_returns
    review = BriefReview(
        brief=len(state.get("briefs") or []) - 1,
        fits=not problems,
        problems=problems,
        sent_back=send_back,
    )
    update: dict[str, Any] = {"brief_reviews": [review]}
    if send_back:
        update["brief_returns"] = returns + 1
    return update


def route_after_review(state: ComposeState) -> Literal["write_brief", "compose"]:
    """Back to the Composer when the brief was sent back, else on to composing."""
    return "write_brief" if state["brief_reviews"][-1]["sent_back"] else "compose"


def compose_music(
    state: ComposeState, runtime: Runtime[ComposeSettings], *, crew: ComposeCrew
) -> dict[str, Any]:
    """Compose the brief with the run's seed (no model: the same brief and seed, the same score)."""
    score = compose(checked_brief(state["brief"]), crew.settings(runtime).seed)
    return {"score": score.as_dict()}


def _audio(request: RenderRequest, renderer_name: str) -> tuple[Audio, str]:
    renderer = load_renderer(renderer_name)
    try:
        return checked_audio(renderer.render(request), renderer.name), renderer.name
    except Exception as error:
        raise TeamgraphError(
            f"The {renderer.name} renderer failed: {type(error).__name__}: {error}"
        ) from error


def render(
    state: ComposeState, runtime: Runtime[ComposeSettings], *, crew: ComposeCrew
) -> dict[str, Any]:
    """Render the audio and write the WAV (and MIDI) file, each whole or not at all."""
    settings = crew.settings(runtime)
    score = Score.from_dict(state["score"])
    brief = score.brief
    request = RenderRequest(
        score,
        brief.as_prompt(),
        state["description"],
        brief.seconds,
        settings.seed,
        settings.sample_rate,
    )
    audio, renderer = _audio(request, settings.renderer)
    wav, midi = targets(state)
    contents: dict[Path, str | bytes] = {wav: wav_bytes(audio)}
    if midi is not None:
        contents[midi] = midi_bytes(score)
    write_all_atomically(contents)
    files = {"wav": str(wav), **({"midi": str(midi)} if midi else {})}
    summary = (
        f"Wrote {wav}: {audio.seconds:.1f} s, {brief.key} {brief.mode}, {brief.tempo_bpm} bpm "
        f"in {brief.meter}" + (f"; MIDI in {midi}" if midi else "")
    )
    return {
        "files": files,
        "audio": {
            "seconds": round(audio.seconds, 3),
            "sample_rate": audio.sample_rate,
            "channels": audio.channels,
            "peak": round(audio.peak, 4),
            "rms": round(audio.rms, 4),
            "renderer": renderer,
        },
        "summary": summary,
        "stop_reason": "rendered",
    }
