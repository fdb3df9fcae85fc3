"""``teamgraph compose``: the JSON keys, the steps shown, the files, one-line errors."""

import json
import os

import pytest

import graphs.compose
from graphs.cli import main
from tests.fakes import scripted, swap_build
from tests.unit_tests.compose_script import DIRGE, brief_json, warm_gradient
from tools.music.wav import read_wav


@pytest.fixture
def picture(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return warm_gradient(tmp_path / "sunset.png")


@pytest.fixture
def composer(monkeypatch):
    """The CLI's compose team with a scripted composer; returns what it was built with."""
    seen: dict = {"composer": scripted(DIRGE, brief_json(), label="composer")}

    def build(requested, **settings):
        seen["requested"], seen["settings"] = requested, settings
        models = {"describer": "local", "composer": seen["composer"]}
        return graphs.compose.build_graph(models, **settings)

    swap_build(monkeypatch, "compose", build)
    return seen


def test_json_has_the_public_keys_and_the_files_exist(picture, composer, tmp_path, capsys):
    code = main(
        [
            "compose",
            str(picture),
            "-o",
            "out.wav",
            "--midi",
            "out.mid",
            "--seconds",
            "5",
            "--seed",
            "3",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert {"description", "brief", "files", "stop_reason", "usage"} <= set(report)
    assert report["files"] == {"wav": str(tmp_path / "out.wav"), "midi": str(tmp_path / "out.mid")}
    assert report["stop_reason"] == "rendered"
    assert report["description"].startswith("Pixel analysis, not a caption")
    assert report["brief"]["mode"] == "major" and report["brief"]["seconds"] == 5
    assert [r["sent_back"] for r in report["brief_reviews"]] == [True, False]
    assert report["usage"]["composer"]["calls"] == 2
    assert report["score"]["chords"][0] == "I" and report["score"]["parts"][0]["notes"] > 0
    assert read_wav((tmp_path / "out.wav").read_bytes()).seconds == pytest.approx(5)
    settings = {
        k: v for k, v in composer["settings"].items() if k not in ("tools", "checkpointer", "store")
    }
    assert settings == {"seconds": 5.0, "seed": 3, "renderer": "auto", "describer_sees": "auto"}
    assert composer["requested"] == {"describer": None, "composer": None}


def test_the_steps_are_shown_and_the_file_length_key_and_tempo_printed(
    picture, composer, tmp_path, capsys
):
    assert main(["compose", str(picture), "--seconds", "6"]) == 0
    captured = capsys.readouterr()
    wav = tmp_path / "sunset.wav"
    assert captured.out.strip() == f"Wrote {wav}: 6.0 s, D major, 112 bpm in 4/4"
    for line in (
        "Analysed the pixels (the describer's model cannot see",
        "Brief: 'Dirge', D minor, 58 bpm",
        "Brief sent back: The picture is bright and warm",
        "Brief: 'Morning light', D major, 112 bpm in 4/4",
        "The brief fits the picture",
        "Composed 2 bars: I I",
        "Rendered 6.0 s with synth",
        "stopped: rendered",
    ):
        assert line in captured.err, line
    assert (
        captured.err.index("Analysed")
        < captured.err.index("Composed")
        < captured.err.index("Rendered")
    )
    assert wav.exists()


def test_model_flags_reach_the_team(picture, composer, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    code = main(
        [
            "compose",
            str(picture),
            "--describer-model",
            "openai:gpt-4o-mini",
            "--max-calls",
            "5",
            "-q",
            "--json",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert composer["requested"]["describer"] == "openai:gpt-4o-mini"
    assert composer["settings"]["max_calls"] == 5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compose", "missing.png"], "missing.png does not exist"),
        (["compose", "notes.txt"], "is not a picture teamgraph can read"),
        (["compose", "{picture}", "-o", "out.mp3"], "must be a .wav file"),
        (["compose", "{picture}", "-o", "nowhere/out.wav"], "the folder"),
        (["compose", "{picture}", "-o", "/proc/out.wav"], "Cannot write to /proc/out.wav"),
        (["compose", "{picture}", "--midi", "out.wav"], "must end in .mid"),
        (["compose", "{picture}", "--seconds", "0"], "--seconds must be from 1 to 300"),
        (["compose", "{picture}", "--seed", "-1"], "--seed must be 0 or more"),
        (["compose", "{picture}", "--renderer", "musicgen"], "Unknown renderer 'musicgen'"),
        (["compose", "{picture}", "--renderer", "os:sep"], "'os:sep' is not a renderer"),
        (["compose", "{picture}", "--composer-model", "nope"], "is not of the form provider:model"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    picture, composer, tmp_path, capsys, argv, message
):
    (tmp_path / "notes.txt").write_text("not a picture")
    before = sorted(os.listdir(tmp_path))
    assert main([arg.format(picture=picture) for arg in argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == before
    assert composer["composer"].calls == []


def test_a_compose_thread_is_listed_with_its_picture_and_resumed_to_its_result(
    picture, composer, capsys
):
    assert main(["compose", str(picture), "--seconds", "3", "--thread", "C1", "-q"]) == 0
    capsys.readouterr()
    assert main(["threads", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing[0]["team"] == "compose" and listing[0]["request"] == str(picture)
    assert listing[0]["status"] == "done"
    assert main(["resume", "--thread", "C1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["stop_reason"] == "rendered" and report["files"]["wav"].endswith("sunset.wav")


def test_a_run_limit_is_named_and_nothing_is_written(picture, monkeypatch, tmp_path, capsys):
    endless = scripted("not a brief", "not a brief", "not a brief")
    swap_build(
        monkeypatch,
        "compose",
        lambda _m, **kw: graphs.compose.build_graph(
            {"describer": "local", "composer": endless}, **kw
        ),
    )
    assert main(["compose", str(picture), "--max-calls", "2"]) == 0
    captured = capsys.readouterr()
    assert "No music was written" in captured.out
    assert "max_calls" in captured.err and len(endless.calls) == 2
    assert not (tmp_path / "sunset.wav").exists()


def test_help_lists_compose(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "compose" in capsys.readouterr().out
