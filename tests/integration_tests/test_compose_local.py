import json
import os
import subprocess
import sys

import pretty_midi
import pytest

from graphs.compose import build_graph
from tests.embedded import SMALL_MODEL
from tests.unit_tests.compose_script import warm_gradient
from tools.music.brief import checked_brief
from tools.music.wav import read_wav

SEQUENCES = (
    ["describe", "write_brief", "review_brief", "compose", "render"],
    ["describe", "write_brief", "review_brief", "write_brief", "review_brief", "compose", "render"],
)


def test_compose_team_runs_on_the_embedded_model(tmp_path):
    picture = warm_gradient(tmp_path / "warm.png")
    graph = build_graph(seconds=8)
    order: list[str] = []
    state: dict = {}
    payload = {
        "image": str(picture),
        "output": str(tmp_path / "p.wav"),
        "midi": str(tmp_path / "p.mid"),
    }
    for mode, chunk in graph.stream(payload, stream_mode=["updates", "values"]):
        if mode == "updates":
            order.extend(chunk)
        else:
            state = chunk
    assert order in SEQUENCES
    assert state["models"] == {"describer": SMALL_MODEL, "composer": SMALL_MODEL}
    assert state["description_source"] == "analysis"
    assert state["description"].startswith("Pixel analysis, not a caption")
    assert "describer" not in state["usage"], "the embedded model is never sent the picture"
    calls = state["usage"]["composer"]["calls"]
    assert 1 <= calls <= 3 * order.count("write_brief")
    assert state["usage"]["composer"]["output_tokens"] > 0
    brief = checked_brief(state["brief"])
    assert brief.seconds == 8
    audio = read_wav((tmp_path / "p.wav").read_bytes())
    assert audio.seconds == pytest.approx(8, rel=0.02) and audio.rms > 0.01 and audio.peak < 1
    music = pretty_midi.PrettyMIDI(str(tmp_path / "p.mid"))
    assert music.get_tempo_changes()[1][0] == pytest.approx(brief.tempo_bpm, abs=0.01)
    assert state["stop_reason"] == "rendered"


def test_cli_compose_json_offline(tmp_path):
    picture = warm_gradient(tmp_path / "sunset.png")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from graphs.cli import main; sys.exit(main())",
            "compose",
            str(picture),
            "-o",
            str(tmp_path / "sunset.wav"),
            "--midi",
            str(tmp_path / "sunset.mid"),
            "--seconds",
            "6",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TEAMGRAPH_HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"description", "brief", "files", "stop_reason", "usage"} <= set(report)
    assert report["files"] == {
        "wav": str(tmp_path / "sunset.wav"),
        "midi": str(tmp_path / "sunset.mid"),
    }
    assert read_wav((tmp_path / "sunset.wav").read_bytes()).seconds == pytest.approx(6, rel=0.02)
    assert "Analysed the pixels" in result.stderr and "Rendered 6.0 s" in result.stderr
