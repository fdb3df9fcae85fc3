import socket
import subprocess
import sys
import threading

import pytest
import xllamacpp

from agents.llm.embedded import DEFAULT_MODEL, SMOLLM2, model_path
from agents.llm.gguf import read_header
from agents.llm.local_server import LocalModelServer, LocalServerSettings, create_server
from tools.kernel.errors import LocalModelError


def test_concurrent_first_requests_start_one_server(monkeypatch):
    started: list[object] = []
    real_server = xllamacpp.Server

    def counting_server(params):
        server = real_server(params)
        started.append(server)
        return server

    monkeypatch.setattr(xllamacpp, "Server", counting_server)
    server = LocalModelServer()
    urls: list[str] = []
    barrier = threading.Barrier(4)

    def ask() -> None:
        barrier.wait()
        urls.append(server.base_url(SMOLLM2))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(started) == 1
        assert len(set(urls)) == 1 and urls[0].startswith("http://127.0.0.1:")
    finally:
        server.stop()
    assert not server.running


def test_a_server_stopped_at_once_after_starting_stops():
    stop_at_once = (
        "from agents.llm.embedded import SMOLLM2\n"
        "from agents.llm.local_server import LocalServerSettings, create_server\n"
        "for _ in range(3):\n"
        "    server = create_server(LocalServerSettings.from_env(SMOLLM2))\n"
        "    del server\n"
        "print('stopped')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", stop_at_once], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped"


def test_port_in_use_is_a_clear_error(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("TEAMGRAPH_LOCAL_PORT", str(taken.getsockname()[1]))
        with pytest.raises(LocalModelError, match="is in use"):
            LocalModelServer().base_url()


def test_corrupt_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a model" * 100)
    with pytest.raises(LocalModelError, match="could not start.*broken.gguf"):
        create_server(LocalServerSettings(model_path=bad))


def test_the_default_model_is_installed_verified_and_names_itself():
    path = model_path(DEFAULT_MODEL)
    assert path.stat().st_size == DEFAULT_MODEL.size
    assert read_header(path, until="general.name").name == DEFAULT_MODEL.gguf_name
