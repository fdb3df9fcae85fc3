"""A seeing describer over HTTP: the picture reaches an OpenAI-compatible server as an image."""

import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from graphs.compose import build_graph
from tests.unit_tests.compose_script import brief_json, warm_gradient

DESCRIPTION = "An orange sky over a calm sea at sunset, warm and still."


class VisionServer:
    """A loopback chat server that keeps every request and answers a brief or a description."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                text = brief_json(seconds=4) if body.get("response_format") else DESCRIPTION
                reply = {
                    "id": "1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text},
                        }
                    ],
                    "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
                }
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "VisionServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.mark.parametrize("sees", ["yes", "auto"])
def test_the_describer_sends_the_picture_as_an_image_over_http(tmp_path, monkeypatch, sees):
    picture = warm_gradient(tmp_path / "sunset.png", size=(1600, 900))
    with VisionServer() as server:
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
