"""The compose team: node order, the brief sent back, fallbacks, the files, limits, bad input."""

import io
import json
import os

import pretty_midi
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs.compose import ComposeSettings, build_graph
from tests.fakes import ScriptedChatModel, scripted
from tests.unit_tests.compose_script import DIRGE, brief_json, dark_cool_noise, warm_gradient
from tools.kernel.errors import InputError, TeamgraphError
from tools.music.wav import read_wav
from tools.pictures.analysis import analyse
from tools.pictures.loading import open_picture
from tools.pictures.wording import ANALYSIS_OPENING

PIPELINE = ["describe", "write_brief", "review_brief", "compose", "render"]


def team(composer: list, describer=None, **settings):
    models = {"describer": describer or "local", "composer": scripted(*composer, label="composer")}
    return build_graph(models, seconds=settings.pop("seconds", 6), **settings), models


def run(graph, picture, tmp_path, midi=True, **kwargs):
    order: list[str] = []
    final: dict = {}
    payload = {"image": str(picture), "output": str(tmp_path / "piece.wav")}
    if midi:
        payload["midi"] = str(tmp_path / "piece.mid")
    for mode, chunk in graph.stream(payload, stream_mode=["updates", "values"], **kwargs):
        if mode == "updates":
            order.extend(chunk)
        else:
            final = chunk
    return order, final


@pytest.fixture
def warm(tmp_path):
    return warm_gradient(tmp_path / "warm.png")


def test_the_pipeline_runs_each_step_once_and_writes_the_files(warm, tmp_path):
    graph, models = team([brief_json()])
    order, state = run(graph, warm, tmp_path)
    assert order == PIPELINE
    assert state["description_source"] == "analysis"
    assert state["description"].startswith(ANALYSIS_OPENING)
    assert "the embedded models read text only" in state["describer_note"]
    assert state["brief"]["key"] == "D" and state["brief"]["seconds"] == 6
    assert state["briefs"][0]["adjustments"] == ["seconds 12 -> 6 (the length asked for)"]
    assert state["brief_reviews"] == [
        {"brief": 0, "fits": True, "problems": [], "sent_back": False}
    ]
    assert state["files"] == {
        "wav": str(tmp_path / "piece.wav"),
        "midi": str(tmp_path / "piece.mid"),
    }
    audio = read_wav((tmp_path / "piece.wav").read_bytes())
    assert audio.seconds == pytest.approx(6, rel=0.02) and audio.rms > 0.02
    assert state["audio"]["seconds"] == pytest.approx(6) and state["audio"]["renderer"] == "synth"
    music = pretty_midi.PrettyMIDI(str(tmp_path / "piece.mid"))
    assert music.get_tempo_changes()[1][0] == pytest.approx(112)
    assert state["summary"].startswith(
        f"Wrote {tmp_path / 'piece.wav'}: 6.0 s, D major, 112 bpm in 4/4"
    )
    assert state["stop_reason"] == "rendered"
    assert state["models"] == {"describer": "local", "composer": "ScriptedChatModel"}
    assert list(state["usage"]) == ["composer"] and state["usage"]["composer"]["calls"] == 1
    assert models["composer"].exhausted
    assert sorted(os.listdir(tmp_path)) == ["piece.mid", "piece.wav", "warm.png"]


def test_a_brief_that_contradicts_the_picture_is_sent_back_once(warm, tmp_path):
    graph, models = team([DIRGE, brief_json()])
    order, state = run(graph, warm, tmp_path)
    assert order == [
        "describe",
        "write_brief",
        "review_brief",
        "write_brief",
        "review_brief",
        "compose",
        "render",
    ]
    first, second = state["brief_reviews"]
    assert (
        not first["fits"]
        and first["sent_back"]
        and "slow minor piece at 58 bpm" in first["problems"][0]
    )
    assert second == {"brief": 1, "fits": True, "problems": [], "sent_back": False}
    assert (
        "Your last brief was sent back: The picture is bright and warm"
        in models["composer"].prompts_text()[1]
    )
    assert state["brief"]["mode"] == "major" and state["brief_returns"] == 1


def test_a_brief_that_contradicts_again_is_kept_at_the_cap(warm, tmp_path):
    graph, _ = team([DIRGE, DIRGE])
    order, state = run(graph, warm, tmp_path)
    assert order.count("write_brief") == 2 and order[-2:] == ["compose", "render"]
    assert [r["sent_back"] for r in state["brief_reviews"]] == [True, False]
    assert state["brief"]["mode"] == "minor"
    graph, _ = team([DIRGE], max_brief_returns=0)
    order, _ = run(graph, warm, tmp_path)
    assert order == PIPELINE


def test_a_composer_that_never_writes_a_valid_brief_gets_the_measured_fallback(tmp_path):
    cool = dark_cool_noise(tmp_path / "cool.png")
    graph, models = team(["no idea", "{}", '{"title": 1}'])
    order, state = run(graph, cool, tmp_path)
    assert order == PIPELINE
    assert (
        state["brief_fallback"]
        and state["briefs"][0]["fallback"]
        and state["briefs"][0]["attempts"] == 3
    )
    assert [(n["role"], n["decision"]) for n in state["fallbacks"]] == [("composer", "Brief")]
    assert state["brief"]["mode"] in ("minor", "phrygian") and state["brief"]["seconds"] == 6
    assert state["brief_reviews"][0]["fits"]
    assert (tmp_path / "piece.wav").exists()


def test_a_seeing_describer_gets_the_image_block_and_its_words_are_used(warm, tmp_path):
    describer = ScriptedChatModel(
        script=["An orange sunset over calm water, warm and glowing."],
        profile={"image_inputs": True},
    )
    graph, _ = team([brief_json()], describer=describer)
    _, state = run(graph, warm, tmp_path)
    assert state["description_source"] == "model" and state["describer_note"] == ""
    assert state["description"] == "An orange sunset over calm water, warm and glowing."
    content = describer.calls[0][-1].content
    assert [block["type"] for block in content] == ["text", "image"]
    assert content[1]["mime_type"] == "image/jpeg" and len(content[1]["base64"]) > 100
    assert state["usage"]["describer"]["calls"] == 1
    assert state["picture"]["brightness"] > 0.6, "the measurements are kept beside the words"


def test_a_describer_that_may_not_see_is_not_called(warm, tmp_path):
    unknown = scripted(label="describer")
    graph, _ = team([brief_json()], describer=unknown)
    _, state = run(graph, warm, tmp_path)
    assert unknown.calls == [] and state["description_source"] == "analysis"
    assert "set describer_sees to yes" in state["describer_note"]
    seeing = ScriptedChatModel(script=[], profile={"image_inputs": True})
    graph, _ = team([brief_json()], describer=seeing, describer_sees="no")
    _, state = run(graph, warm, tmp_path)
    assert seeing.calls == [] and "describer_sees is no" in state["describer_note"]


def test_a_failing_describer_leaves_the_analysis_and_says_why(warm, tmp_path):
    failing = ScriptedChatModel(
        script=[ValueError("images are not supported")], profile={"image_inputs": True}
    )
    graph, _ = team([brief_json()], describer=failing)
    order, state = run(graph, warm, tmp_path)
    assert order == PIPELINE and state["description_source"] == "analysis"
    assert "images are not supported" in state["describer_note"]
    assert state["usage"]["describer"]["calls"] == 1


def test_a_run_limit_ends_the_run_without_half_written_files(warm, tmp_path):
    graph, _ = team(["nonsense", "nonsense", "nonsense"], max_calls=2)
    order, state = run(graph, warm, tmp_path)
    assert order == ["describe", "write_brief"]
    assert state["stop_reason"] == "max_calls" and state["budget_stop"]["limit"] == "max_calls"
    assert state["usage"]["composer"]["calls"] == 2
    assert "files" not in state and sorted(os.listdir(tmp_path)) == ["warm.png"]


def test_same_seed_same_bytes_other_seed_other_bytes(warm, tmp_path):
    outputs = []
    for seed, folder in ((4, "a"), (4, "b"), (5, "c")):
        (tmp_path / folder).mkdir()
        graph, _ = team([brief_json()], seed=seed)
        run(graph, warm, tmp_path / folder)
        outputs.append(
            (
                (tmp_path / folder / "piece.wav").read_bytes(),
                (tmp_path / folder / "piece.mid").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]
    assert outputs[0][0] != outputs[2][0] and outputs[0][1] != outputs[2][1]


def test_a_run_may_change_the_length_and_seed_in_its_context(warm, tmp_path):
    graph, _ = team([brief_json()])
    _, state = run(graph, warm, tmp_path, context=ComposeSettings(seconds=3.0, seed=9))
    assert state["brief"]["seconds"] == 3 and state["score"]["seed"] == 9
    assert read_wav((tmp_path / "piece.wav").read_bytes()).seconds == pytest.approx(3)


def test_the_wav_goes_beside_where_the_run_is_when_no_output_is_given(warm, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    graph, _ = team([brief_json()])
    state = graph.invoke({"image": str(warm)})
    assert state["files"] == {"wav": "warm.wav"} and (tmp_path / "warm.wav").exists()


def test_a_plugged_in_renderer_gets_the_score_and_the_prompt(warm, tmp_path):
    graph, _ = team([brief_json()], renderer="tests.unit_tests.compose_script:QuietRenderer")
    _, state = run(graph, warm, tmp_path)
    assert state["audio"]["renderer"] == "quiet-sine" and state["audio"]["channels"] == 1
    assert read_wav((tmp_path / "piece.wav").read_bytes()).channels == 1


def test_a_failing_renderer_leaves_nothing_behind(warm, tmp_path):
    graph, _ = team([brief_json()], renderer="tests.unit_tests.compose_script:BrokenRenderer")
    with pytest.raises(
        TeamgraphError, match="The broken renderer failed: RuntimeError: the music service is down"
    ):
        run(graph, warm, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["warm.png"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"image": ""}, "No picture given"),
        ({"image": "missing.png"}, "does not exist"),
        ({"image": "{warm}", "output": "{tmp}/piece.mp3"}, "must be a .wav file"),
        ({"image": "{warm}", "output": "{tmp}/no/such/folder/piece.wav"}, "does not exist"),
        (
            {"image": "{warm}", "output": "{tmp}/piece.wav", "midi": "{tmp}/piece.txt"},
            "must end in .mid",
        ),
        ({"image": "{tmp}/notes.txt", "output": "{tmp}/piece.wav"}, "is not a picture"),
        ({"image": "{warm}", "renderer": "musicgen"}, "Unknown renderer 'musicgen'"),
    ],
)
def test_bad_input_is_refused_before_any_model_call(warm, tmp_path, payload, message):
    (tmp_path / "notes.txt").write_text("not a picture")
    renderer = payload.pop("renderer", "auto")
    graph, models = team([brief_json()], renderer=renderer)
    filled = {k: v.format(warm=warm, tmp=tmp_path) for k, v in payload.items()}
    with pytest.raises(InputError, match=message):
        graph.invoke(filled)
    assert models["composer"].calls == []
    assert sorted(os.listdir(tmp_path)) == ["notes.txt", "warm.png"]


def test_an_unwritable_folder_is_refused_before_any_model_call(warm, tmp_path, monkeypatch):
    import tools.kernel.files

    monkeypatch.setattr(tools.kernel.files.os, "access", lambda path, mode: False)
    graph, models = team([brief_json()])
    with pytest.raises(InputError, match="no permission to write in"):
        graph.invoke({"image": str(warm), "output": str(tmp_path / "piece.wav")})
    assert models["composer"].calls == [] and sorted(os.listdir(tmp_path)) == ["warm.png"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [({"seed": -1}, "seed must be 0 or more"), ({"seconds": 0.5}, "seconds must be from 1")],
)
def test_settings_that_cannot_be_used_are_refused_when_made(setting, message):
    with pytest.raises(ValueError, match=message):
        ComposeSettings(**setting)


def test_checkpoints_keep_every_step_and_the_state_holds_the_score(warm, tmp_path):
    saver = InMemorySaver()
    graph = build_graph(
        {"describer": "local", "composer": scripted(brief_json())}, checkpointer=saver, seconds=4
    )
    config = {"configurable": {"thread_id": "t1"}}
    graph.invoke({"image": str(warm), "output": str(tmp_path / "p.wav")}, config)
    steps = [snapshot.next for snapshot in reversed(list(graph.get_state_history(config)))]
    assert steps == [("__start__",), *[(name,) for name in PIPELINE], ()]
    state = graph.get_state(config).values
    chords = [c["numeral"] for c in state["score"]["chords"]]
    assert chords[: len(chords) - 1] == (["I", "V", "vi", "IV"] * 4)[: len(chords) - 1]
    assert json.loads(json.dumps(state["score"])) == state["score"], "the score is plain JSON"
    assert analyse(open_picture(warm)).as_dict() == state["picture"]
    assert io.BytesIO((tmp_path / "p.wav").read_bytes()).getbuffer().nbytes > 44


def test_a_composer_that_gives_no_reply_gets_the_measured_fallback_and_the_piece(tmp_path):
    cool = dark_cool_noise(tmp_path / "cool.png")
    graph, models = team([TimeoutError("read timed out")] * 3)
    order, state = run(graph, cool, tmp_path)
    assert order == PIPELINE and len(models["composer"].calls) == 3
    assert state["brief_fallback"] and state["briefs"][0]["fallback"]
    [note] = state["fallbacks"]
    assert (note["role"], note["decision"]) == ("composer", "Brief")
    assert note["error"].startswith("no reply: The composer model timed out")
    assert state["brief"]["mode"] in ("minor", "phrygian")
    assert (tmp_path / "piece.wav").exists()
