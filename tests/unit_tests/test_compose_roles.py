"""The Describer (who can see, the image block, the fallback) and the Composer's brief."""

import base64
import io
import json

import pytest
from PIL import Image

from agents.composer import Brief, write_brief
from agents.describer import DESCRIBER_SYSTEM, describe_picture, sight
from tests.fakes import ScriptedChatModel, caller, scripted
from tests.unit_tests.compose_script import brief, brief_json
from tools.kernel.errors import BudgetExceeded
from tools.music.brief import checked_brief

FALLBACK = checked_brief(brief(title="From the measurements", seconds=30))


def image_blocks(model: ScriptedChatModel, call: int = 0) -> list[dict]:
    content = model.calls[call][-1].content
    return [block for block in content if isinstance(block, dict) and block.get("type") == "image"]


def tiny_jpeg() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), (250, 120, 30)).save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_who_can_see():
    seeing = ScriptedChatModel(script=[], profile={"image_inputs": True})
    blind = ScriptedChatModel(script=[], profile={"image_inputs": False})
    unknown = ScriptedChatModel(script=[])
    assert sight("local", None) == sight("local", None, "yes")
    assert not sight("local", None, "yes").sees, "the embedded model never sees"
    assert "read text only" in sight("local", None).reason
    assert (
        sight(seeing, seeing).sees
        and "profile says it takes images" in sight(seeing, seeing).reason
    )
    assert not sight(blind, blind).sees
    assert not sight(unknown, unknown).sees
    assert "set describer_sees to yes" in sight(unknown, unknown).reason
    assert sight(unknown, unknown, "yes").sees
    assert not sight(seeing, seeing, "no").sees


def test_the_describer_is_sent_the_image_as_an_image_block():
    model = scripted("A sunlit orange field under a yellow sky, warm and calm.")
    picture = tiny_jpeg()
    described = describe_picture(caller(model, "describer"), picture, "image/jpeg", "analysis")
    assert described.source == "model" and described.note == ""
    assert described.text.startswith("A sunlit orange field")
    blocks = image_blocks(model)
    assert blocks == [{"type": "image", "base64": picture, "mime_type": "image/jpeg"}]
    assert Image.open(io.BytesIO(base64.b64decode(blocks[0]["base64"]))).size == (16, 8)
    assert model.calls[0][0].content == DESCRIBER_SYSTEM


@pytest.mark.parametrize(
    ("reply", "note"),
    [
        (RuntimeError("model does not support images"), "the describer model failed"),
        ("  ", "answered nothing"),
    ],
)
def test_a_describer_that_cannot_answer_leaves_the_analysis(reply, note):
    model = scripted(reply)
    described = describe_picture(
        caller(model, "describer"), tiny_jpeg(), "image/jpeg", "Pixel analysis, ..."
    )
    assert described.source == "analysis" and described.text == "Pixel analysis, ..."
    assert note in described.note


def test_a_run_limit_is_not_mistaken_for_a_blind_model():
    from agents.llm.ledger import Ledger, Limits

    ledger = Ledger(limits=Limits(max_calls=1))
    ledger.reserve("other")
    with pytest.raises(BudgetExceeded):
        describe_picture(caller(scripted("x"), "describer", ledger), tiny_jpeg(), "image/jpeg", "a")


def test_a_valid_brief_is_taken_as_written_apart_from_spelling():
    model = scripted(brief_json(key="f#", instruments=["flute"], seconds=30))
    decision = write_brief(caller(model, "composer"), "a sunny field", "bright, warm", 30, FALLBACK)
    assert not decision.fallback_used and decision.attempts == 1
    music = decision.value.to_music()
    assert music.key == "F#" and music.instruments == ("Flute",)
    prompt = model.prompts_text()[0]
    assert "a sunny field" in prompt and "bright, warm" in prompt and "30 seconds" in prompt


def test_an_invalid_brief_is_reasked_with_its_errors_then_falls_back():
    model = scripted(
        "Here is a lovely brief!",
        brief_json(progression=["I", "IX"]),
        brief_json(instruments=["Theremin"]),
    )
    decision = write_brief(caller(model, "composer"), "a field", "bright", 30, FALLBACK)
    assert decision.fallback_used and decision.attempts == 3
    assert decision.value == Brief.from_music(FALLBACK)
    assert "IX" in model.prompts_text()[2], "the second re-ask quotes the numeral error"
    assert "'Theremin' is not a General MIDI instrument" in decision.errors[2]
    assert model.exhausted


def test_a_brief_sent_back_carries_the_problems():
    model = scripted(brief_json())
    write_brief(caller(model, "composer"), "a field", "bright", 30, FALLBACK, "It is a dirge.")
    assert "Your last brief was sent back: It is a dirge." in model.prompts_text()[0]


@pytest.mark.parametrize(
    "change",
    [
        {"key": "H"},
        {"mode": "blues"},
        {"meter": "5/4"},
        {"tempo_bpm": 10},
        {"instruments": []},
        {"instruments": ["Flute"] * 5},
        {"progression": ["I"]},
        {"dynamics": ["loud"]},
        {"seconds": 0},
        {"title": ""},
    ],
)
def test_the_wire_format_refuses_what_the_composer_cannot_play(change):
    with pytest.raises(ValueError):
        Brief.model_validate(brief(**change))


def test_the_wire_format_is_a_strict_json_schema_with_the_options():
    schema = Brief.model_json_schema()
    properties = schema["properties"]
    assert set(properties) == set(json.loads(brief_json()))
    assert "Acoustic Grand Piano" in properties["instruments"]["items"]["enum"]
    assert properties["mode"]["enum"][:2] == ["major", "minor"]
    assert "pattern" in properties["progression"]["items"]
