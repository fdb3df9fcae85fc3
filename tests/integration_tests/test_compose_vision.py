"""A seeing describer over HTTP: the picture reaches an OpenAI-compatible server as an image."""

import base64
import io
import json

import pytest
from PIL import Image

from graphs.compose import build_graph
from tests.fake_openai_server import FakeOpenAIServer
from tests.unit_tests.compose_script import brief_json, warm_gradient

DESCRIPTION = "An orange sky over a calm sea at sunset, warm and still."


def _describe(prompt: str) -> str:
    return DESCRIPTION


def _brief(name: str, prompt: str, schema: dict) -> dict:
    return json.loads(brief_json(seconds=4))


@pytest.mark.parametrize("sees", ["yes", "auto"])
def test_the_describer_sends_the_picture_as_an_image_over_http(tmp_path, monkeypatch, sees):
    picture = warm_gradient(tmp_path / "sunset.png", size=(1600, 900))
    with FakeOpenAIServer(latency_s=0, reply=_describe, structured=_brief) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "not-needed")
        model = f"openai:vision-{sees}"
        graph = build_graph({"describer": model, "composer": model}, describer_sees=sees, seconds=4)
        state = graph.invoke({"image": str(picture), "output": str(tmp_path / "sunset.wav")})
    assert (tmp_path / "sunset.wav").exists() and state["stop_reason"] == "rendered"
    if sees == "auto":
        assert state["description_source"] == "analysis", "no profile says this model sees"
        assert all("image_url" not in json.dumps(r) for r in server.requests)
        return
    assert state["description"] == DESCRIPTION and state["description_source"] == "model"
    content = server.requests[0]["messages"][-1]["content"]
    images = [part for part in content if part["type"] == "image_url"]
    assert len(images) == 1
    url = images[0]["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    sent = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert sent.size == (1024, 576)
    assert DESCRIPTION in json.dumps(server.requests[1]["messages"]), "the brief is written from it"
    assert state["usage"]["describer"]["calls"] == 1 and state["usage"]["composer"]["calls"] == 1
