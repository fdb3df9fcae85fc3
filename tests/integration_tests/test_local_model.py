import os
import shutil
import signal
import socket
import subprocess
import sys

import pytest

from agents.llm.embedded import DEFAULT_MODEL, SMOLLM2, model_path
from agents.llm.gguf import read_header
from agents.llm.llama_server import LocalServerSettings, create_server
from agents.llm.local_server import LocalModelServer
from tools.kernel.errors import LocalModelError

SERVED = (
    "from agents.llm.local_server import LOCAL_SERVER\n"
    "from agents.llm.models import load_chat_model\n"
    "record = LOCAL_SERVER.record()\n"
    "reply = load_chat_model('local').invoke('Say hi.', max_tokens=4)\n"
    "print(record.pid, record.url, bool(reply.content))\n"
)


@pytest.fixture
def own_model(tmp_path, monkeypatch):
    """A copy of the 135M model served as ``local``: a server of its own, stopped after."""
    copy = tmp_path / "models" / "smollm2-copy.gguf"
    copy.parent.mkdir()
    shutil.copyfile(model_path(SMOLLM2), copy)
    monkeypatch.setenv("TEAMGRAPH_LOCAL_MODEL_PATH", str(copy))
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    yield copy
    LocalModelServer().stop()


def served_by(processes: int) -> list[list[str]]:
    """What each of ``processes`` processes, started together, was served by."""
    started = [
        subprocess.Popen([sys.executable, "-c", SERVED], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outputs = [process.communicate(timeout=600)[0].split() for process in started]
    assert all(process.returncode == 0 for process in started)
    return outputs


def test_processes_share_the_machine_server_which_outlives_them(own_model):
    first, second = served_by(2)
    assert first == second and first[2] == "True"
    pid, url = int(first[0]), first[1]
    record = LocalModelServer().running()
    assert record is not None and (record.pid, record.url) == (pid, url)


def test_a_killed_server_is_replaced_by_the_next_process(own_model):
    [before] = served_by(1)
    os.kill(int(before[0]), signal.SIGKILL)
    [after] = served_by(1)
    assert after[0] != before[0] and after[2] == "True"


def test_a_server_stopped_at_once_after_starting_stops():
    stop_at_once = (
        "from agents.llm.embedded import SMOLLM2\n"
        "from agents.llm.llama_server import LocalServerSettings, create_server\n"
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


def test_port_in_use_is_a_clear_error(own_model, monkeypatch):
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
