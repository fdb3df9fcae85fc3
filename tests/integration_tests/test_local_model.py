import socket
import subprocess
import sys
import threading

import pytest
import xllamacpp

from agents.llm.local_server import (
    LocalModelServer,
    LocalServerSettings,
    create_server,
    default_model_path,
)
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
        urls.append(server.base_url())

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
        "from agents.llm.local_server import LocalServerSettings, create_server\n"
        "for _ in range(3):\n"
        "    server = create_server(LocalServerSettings.from_env())\n"
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


def test_default_model_file_is_shipped():
    assert default_model_path().is_file()
