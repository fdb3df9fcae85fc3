"""One embedded model server per machine: found, shared, replaced when dead, stopped when idle.

The server processes here are stand-ins (small Python processes that hold the serving
lock and write a record); no socket is opened.
"""

import os
import signal
import subprocess
import sys
import threading

import pytest

from agents.llm import local_server
from agents.llm.llama_server import LocalServerSettings
from agents.llm.local_server import LocalModelServer
from agents.llm.serve import serve, wait_while_used
from agents.llm.server_record import ServerFiles, try_lock
from tools.kernel.errors import LocalModelError

STAND_IN = """
import os, sys, time
from pathlib import Path
from agents.llm.server_record import ServerFiles, ServerRecord, try_lock
files = ServerFiles(Path(sys.argv[1]), sys.argv[2])
holding = try_lock(files.path("serving"))
if sys.argv[3] == "fail":
    print("Port 8 on 127.0.0.1 is in use, so the embedded model cannot be served there.")
    sys.exit(1)
time.sleep(float(sys.argv[3]))
files.write(ServerRecord(pid=os.getpid(), url=f"http://stand-in/{os.getpid()}",
    model_file="m", threads=1, context_tokens=1, parallel_slots=1, idle_s=0, started=0.0))
time.sleep(600)
"""


class StandIns:
    """Launches stand-in servers (after ``load_s`` seconds of "loading"), and stops them."""

    def __init__(self, load_s: float = 0.3, behaviour: str = "") -> None:
        self.load_s = load_s
        self.behaviour = behaviour
        self.launched: list[subprocess.Popen] = []
        self.lock = threading.Lock()

    def __call__(self, settings: LocalServerSettings, files: ServerFiles) -> subprocess.Popen:
        how = self.behaviour or str(self.load_s)
        process = subprocess.Popen(
            [sys.executable, "-c", STAND_IN, str(files.folder), files.name, how],
            stdout=files.path("log").open("w"),
            stderr=subprocess.STDOUT,
        )
        with self.lock:
            self.launched.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.launched:
            process.kill()
            process.wait()


def answers(url: str) -> bool:
    return url.startswith("http://stand-in/")


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    path = tmp_path / "models" / "tiny.gguf"
    path.parent.mkdir()
    path.write_bytes(b"GGUF")
    monkeypatch.setenv("TEAMGRAPH_LOCAL_MODEL_PATH", str(path))
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    return path


@pytest.fixture
def stand_ins():
    launcher = StandIns()
    yield launcher
    launcher.stop_all()


def test_two_processes_share_one_server_and_only_one_is_started(model_file, stand_ins):
    urls: list[str] = []
    barrier = threading.Barrier(2)

    def process_asks() -> None:  # each has its own manager, as each process would
        barrier.wait()
        urls.append(LocalModelServer(stand_ins, answers).base_url())

    askers = [threading.Thread(target=process_asks) for _ in range(2)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(60)
    assert len(stand_ins.launched) == 1
    pid = stand_ins.launched[0].pid
    assert urls == [f"http://stand-in/{pid}/v1"] * 2
    assert LocalModelServer(stand_ins, answers).base_url() == urls[0]
    assert len(stand_ins.launched) == 1
    files = ServerFiles.for_model(model_file)
    assert files.folder == model_file.parent / "servers"


def test_a_dead_server_is_replaced(model_file, stand_ins):
    manager = LocalModelServer(stand_ins, answers)
    first = manager.record()
    os.kill(first.pid, signal.SIGKILL)
    stand_ins.launched[0].wait()
    second = manager.record()
    assert second.pid != first.pid and len(stand_ins.launched) == 2
    assert second.url == f"http://stand-in/{second.pid}"


def test_a_server_that_cannot_start_says_why(model_file):
    failing = StandIns(behaviour="fail")
    with pytest.raises(LocalModelError, match="Port 8 on 127.0.0.1 is in use"):
        LocalModelServer(failing, answers).base_url()
    failing.stop_all()


def test_a_live_server_that_does_not_answer_is_named_and_never_doubled(
    model_file, stand_ins, monkeypatch
):
    LocalModelServer(stand_ins, answers).base_url()
    pid = stand_ins.launched[0].pid
    monkeypatch.setattr(local_server, "START_TIMEOUT_S", 0.5)
    silent = LocalModelServer(stand_ins, lambda url: False)
    with pytest.raises(LocalModelError, match=f"process {pid}.*did not answer within"):
        silent.base_url()
    assert len(stand_ins.launched) == 1


def test_a_second_server_of_the_same_model_is_refused(model_file):
    files = ServerFiles.for_model(model_file)
    holding = try_lock(files.path("serving"))
    try:
        with pytest.raises(LocalModelError, match="tiny.gguf is already served"):
            serve(LocalServerSettings.from_env(), files)
    finally:
        holding.close()


class Metrics:
    """Stands in for a server's metrics: counts tokens while it is given work."""

    def __init__(self, busy_looks: int) -> None:
        self.busy_looks = busy_looks
        self.looks = 0
        self.tokens = 0

    def handle_metrics(self) -> str:
        self.looks += 1
        if self.looks <= self.busy_looks:
            self.tokens += 5
        return f"llamacpp:tokens_predicted_total {self.tokens}\nllamacpp:requests_processing 0\n"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_server_stops_only_after_being_idle_for_its_idle_time():
    clock = Clock()
    metrics = Metrics(busy_looks=30)
    wait_while_used(metrics, idle_s=10, clock=clock, sleep=clock.sleep)
    assert metrics.looks > 30
    assert clock.now == pytest.approx(30 * 2.0 + 10, abs=2.0)


def test_idle_zero_never_stops():
    clock = Clock()
    metrics = Metrics(busy_looks=0)

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.now > 10_000:
            raise TimeoutError("still serving")

    with pytest.raises(TimeoutError):
        wait_while_used(metrics, idle_s=0, clock=clock, sleep=sleep)


def test_the_idle_time_is_a_setting(model_file, monkeypatch):
    assert LocalServerSettings.from_env().idle_s == 300
    monkeypatch.setenv("TEAMGRAPH_LOCAL_IDLE_S", "30")
    assert LocalServerSettings.from_env().idle_s == 30
    monkeypatch.setenv("TEAMGRAPH_LOCAL_IDLE_S", "-1")
    with pytest.raises(LocalModelError, match="TEAMGRAPH_LOCAL_IDLE_S=-1"):
        LocalServerSettings.from_env()


def test_settings_travel_to_the_server_process_unchanged(model_file):
    settings = LocalServerSettings.from_env()
    assert LocalServerSettings.from_json(settings.to_json()) == settings


def timing_out(times: int):
    import httpx
    import openai

    from tests.fakes import scripted

    request = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
    return scripted(*[openai.APITimeoutError(request=request)] * times, "at last")


def test_a_local_call_that_times_out_is_tried_again_and_then_said_clearly():
    from langchain_core.messages import HumanMessage

    from agents.llm.calls import RoleCaller
    from agents.llm.ledger import Ledger
    from tools.kernel.errors import ModelCallError

    ledger = Ledger()
    caller = RoleCaller("composer", timing_out(2), "local:smollm2-135m", ledger)
    assert caller.invoke([HumanMessage("a brief")]).content == "at last"
    assert ledger.calls == 3
    caller = RoleCaller("composer", timing_out(3), "local:smollm2-135m", Ledger())
    with pytest.raises(ModelCallError) as raised:
        caller.invoke([HumanMessage("a brief")])
    said = str(raised.value)
    assert "composer model (local:smollm2-135m) gave no reply within 300 s" in said
    assert "TEAMGRAPH_LOCAL_TIMEOUT_S" in said and "\n" not in said


def test_retries_of_a_timed_out_call_stay_within_the_run_limits():
    from langchain_core.messages import HumanMessage

    from agents.llm.calls import RoleCaller
    from agents.llm.ledger import Ledger, Limits
    from tools.kernel.errors import BudgetExceeded

    ledger = Ledger(limits=Limits(max_calls=2))
    caller = RoleCaller("composer", timing_out(3), "local", ledger)
    with pytest.raises(BudgetExceeded, match="limit of 2 model calls"):
        caller.invoke([HumanMessage("a brief")])
    assert ledger.calls == 2
