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


def test_threads_leave_room_for_other_processes_and_never_spin(model_file, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    create_server(LocalServerSettings.from_env())
    [params] = RecordingServer.started
    for cpu in (params.cpuparams, params.cpuparams_batch):
        assert cpu.n_threads == 1 and cpu.poll == 0
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    create_server(LocalServerSettings.from_env())
    assert RecordingServer.started[-1].cpuparams.n_threads == 4


def test_the_template_of_the_model_is_applied(model_file):
    create_server(LocalServerSettings.from_env())
    [params] = RecordingServer.started
    assert params.use_jinja is True


def test_the_call_timeout_is_a_setting(monkeypatch):
    from agents.llm.local_server import DEFAULT_TIMEOUT_S, call_timeout_s

    assert call_timeout_s() == DEFAULT_TIMEOUT_S
    monkeypatch.setenv("TEAMGRAPH_LOCAL_TIMEOUT_S", "900")
    assert call_timeout_s() == 900
    monkeypatch.setenv("TEAMGRAPH_LOCAL_TIMEOUT_S", "0")
    with pytest.raises(LocalModelError, match="must be 1 or more seconds"):
        call_timeout_s()
