"""The scripted OpenAI-compatible server as the provider of ``openai:fake`` for a while."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.fake_openai_server import FakeOpenAIServer

ENV = ("OPENAI_BASE_URL", "OPENAI_API_KEY")


@contextmanager
def fake_provider(latency_s: float) -> Iterator[FakeOpenAIServer]:
    """Start the server and point the OpenAI settings at it; restore them afterwards."""
    saved = {key: os.environ.get(key) for key in ENV}
    with FakeOpenAIServer(latency_s=latency_s) as server:
        os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"] = server.base_url, "fake"
        try:
            yield server
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
