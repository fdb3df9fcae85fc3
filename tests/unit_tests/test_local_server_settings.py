"""How the embedded model is served: the settings read from the environment reach llama.cpp."""

import pytest
import xllamacpp

from agents.llm.local_server import PROMPT_CACHE_MIB, LocalServerSettings, create_server
from tools.kernel.errors import LocalModelError


class RecordingServer:
    """Stands in for ``xllamacpp.Server``: keeps the parameters, answers the first request."""

    started: list[object] = []

    def __init__(self, params: object) -> None:
        RecordingServer.started.append(params)

    def handle_chat_completions(self, request: object) -> dict[str, object]:
        return {"choices": []}


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    monkeypatch.setenv("TEAMGRAPH_LOCAL_MODEL_PATH", str(path))
    monkeypatch.setattr(xllamacpp, "Server", RecordingServer)
    RecordingServer.started.clear()
    return path


def test_the_prompt_cache_is_bounded_well_below_llama_cpp_default(model_file):
    create_server(LocalServerSettings.from_env())
    [params] = RecordingServer.started
    assert params.cache_ram_mib == PROMPT_CACHE_MIB < xllamacpp.CommonParams().cache_ram_mib
    assert params.model.path == str(model_file)


def test_the_prompt_cache_and_threads_follow_the_environment(model_file, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_LOCAL_CACHE_MIB", "64")
    monkeypatch.setenv("TEAMGRAPH_LOCAL_THREADS", "1")
    create_server(LocalServerSettings.from_env())
    [params] = RecordingServer.started
    assert params.cache_ram_mib == 64 and params.cpuparams.n_threads == 1


def test_a_cache_size_that_is_not_a_number_is_named(model_file, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_LOCAL_CACHE_MIB", "lots")
    with pytest.raises(LocalModelError, match="TEAMGRAPH_LOCAL_CACHE_MIB='lots' is not an integer"):
        LocalServerSettings.from_env()
