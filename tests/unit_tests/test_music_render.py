"""Renderers (built in, SoundFont, plugged in by name), audio checks, WAV files, atomic writes."""

import os

import numpy as np
import pretty_midi
import pytest

from tests.unit_tests.compose_script import QuietRenderer, brief
from tools.kernel.errors import InputError
from tools.kernel.files import write_all_atomically, write_atomically
from tools.music import renderers
from tools.music.audio import Audio, checked_audio
from tools.music.brief import checked_brief
from tools.music.composer import compose
from tools.music.renderers import (
    RenderRequest,
    SoundFontRenderer,
    SynthRenderer,
    check_renderer,
    load_renderer,
    soundfont_missing,
)
from tools.music.wav import read_wav, wav_bytes


def request(seconds=3.0, sample_rate=8000):
    music_brief = checked_brief(brief(seconds=seconds))
    return RenderRequest(
        compose(music_brief), music_brief.as_prompt(), "a picture", seconds, 0, sample_rate
    )


def test_synth_is_chosen_by_name_and_by_auto_without_a_soundfont(monkeypatch):
    monkeypatch.setattr(renderers, "soundfont_missing", lambda: "pyfluidsynth is not installed")
    assert isinstance(load_renderer("synth"), SynthRenderer)
    assert isinstance(load_renderer("auto"), SynthRenderer)
    with pytest.raises(InputError, match="soundfont renderer cannot run: pyfluidsynth"):
        load_renderer("soundfont")


def test_auto_takes_the_soundfont_when_one_is_installed(monkeypatch, tmp_path):
    font = tmp_path / "gm.sf2"
    font.write_bytes(b"RIFF")
    monkeypatch.setattr(renderers, "soundfont_missing", lambda: None)
    monkeypatch.setenv("TEAMGRAPH_SOUNDFONT", str(font))
    chosen = load_renderer("auto")
    assert isinstance(chosen, SoundFontRenderer) and chosen.soundfont == font


def test_soundfont_missing_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(renderers.importlib.util, "find_spec", lambda name: None)
    assert "pip install pyfluidsynth" in soundfont_missing()
    monkeypatch.setattr(renderers.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setenv("TEAMGRAPH_SOUNDFONT", str(tmp_path / "none.sf2"))
    assert "not a file" in soundfont_missing()
    monkeypatch.delenv("TEAMGRAPH_SOUNDFONT")
    monkeypatch.setattr(renderers, "SOUNDFONT_PLACES", ())
    assert "TEAMGRAPH_SOUNDFONT" in soundfont_missing()


def test_the_soundfont_renderer_fits_fluidsynth_output_to_the_length(monkeypatch, tmp_path):
    asked = {}

    def fake_fluidsynth(self, fs, sf2_path):
        asked.update(fs=fs, sf2_path=sf2_path, programs=[i.program for i in self.instruments])
        return 3.0 * np.sin(np.arange(int(fs * 5.5)) / 10)

    monkeypatch.setattr(pretty_midi.PrettyMIDI, "fluidsynth", fake_fluidsynth)
    audio = SoundFontRenderer(tmp_path / "gm.sf2").render(request(seconds=3.0))
    assert asked["fs"] == 8000 and asked["sf2_path"].endswith("gm.sf2") and asked["programs"]
    assert audio.samples.shape == (24000, 2)
    assert 0.85 < audio.peak <= 0.9


def test_a_renderer_is_plugged_in_as_module_attribute():
    plugged = load_renderer("tests.unit_tests.compose_script:QuietRenderer")
    assert isinstance(plugged, QuietRenderer)
    audio = checked_audio(plugged.render(request()), plugged.name)
    assert audio.channels == 1 and audio.seconds == pytest.approx(3.0)
    assert plugged.requests[0].prompt.startswith(
        "Morning light: sunny, lively. An instrumental piece"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("musicgen", "Unknown renderer 'musicgen'"),
        ("no_such_module:Renderer", "Cannot load the renderer"),
        ("tests.unit_tests.compose_script:Missing", "Cannot load the renderer"),
        ("tests.unit_tests.compose_script:brief", "is not a renderer"),
    ],
)
def test_unknown_renderers_are_refused_clearly(name, message):
    with pytest.raises(InputError, match=message):
        load_renderer(name)


class NoRender:
    name = "silent"


def make_quiet() -> QuietRenderer:
    return QuietRenderer()


def make_failing() -> QuietRenderer:
    raise RuntimeError("no GPU here.")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("tests.unit_tests.test_music_render:make_failing", "RuntimeError: no GPU here."),
        ("os:system", "TypeError: system() missing required argument"),
    ],
)
def test_a_renderer_that_cannot_be_made_is_named_with_why(name, said):
    with pytest.raises(InputError) as raised:
        load_renderer(name)
    assert str(raised.value).startswith(
        f"Cannot make the renderer {name!r} (called with no arguments): {said}"
    )


def test_what_cannot_be_a_renderer_is_refused_before_it_is_made():
    here = "tests.unit_tests.test_music_render"
    for shaped in ("tests.unit_tests.compose_script:QuietRenderer", f"{here}:make_quiet"):
        check_renderer(shaped)
    for unshaped in (f"{here}:NoRender", "os:sep"):
        with pytest.raises(InputError, match="is not a renderer"):
            check_renderer(unshaped)


@pytest.mark.parametrize(
    ("audio", "message"),
    [
        ("noise", "not an Audio"),
        (Audio(np.zeros(100, dtype=np.float32), 8000), "shaped"),
        (Audio(np.zeros((0, 2), dtype=np.float32), 8000), "no audio"),
        (Audio(np.full((10, 2), np.nan, dtype=np.float32), 8000), "not finite"),
    ],
)
def test_unusable_audio_is_refused(audio, message):
    with pytest.raises(ValueError, match=message):
        checked_audio(audio, "plugged")


def test_wav_round_trip_clips_out_of_range_samples():
    samples = np.array([[0.0, 0.5], [2.0, -3.0], [-0.25, 0.25]], dtype=np.float32)
    back = read_wav(wav_bytes(Audio(samples, 8000)))
    assert back.sample_rate == 8000 and back.channels == 2
    assert np.allclose(back.samples, [[0, 0.5], [1, -1], [-0.25, 0.25]], atol=1e-4)


def test_files_are_written_whole_or_not_at_all(tmp_path):
    first, second = tmp_path / "a.wav", tmp_path / "missing" / "b.mid"
    with pytest.raises(FileNotFoundError):
        write_all_atomically({first: b"RIFF", second: b"MThd"})
    assert os.listdir(tmp_path) == [], "nothing written, no temporary file left"
    write_all_atomically({first: b"RIFF", tmp_path / "b.mid": b"MThd"})
    assert first.read_bytes() == b"RIFF" and (tmp_path / "b.mid").read_bytes() == b"MThd"
    write_atomically(tmp_path / "c.txt", "text")
    assert (tmp_path / "c.txt").read_text() == "text"
    assert sorted(os.listdir(tmp_path)) == ["a.wav", "b.mid", "c.txt"]
