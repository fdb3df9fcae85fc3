"""The embedded models on this machine: one server per model, shared by every process.

:data:`LOCAL_SERVER` ``.base_url(model)`` is the one way in. It finds the model's server
through its record (:mod:`agents.llm.server_record`); if none is alive it starts one as
a process of its own (:mod:`agents.llm.serve`), holding the ``starting`` lock so two
processes never start one each. A server whose process died is replaced; one that is
alive but does not answer is waited for, then named with its pid. The server outlives
the process that started it and stops by itself after ``TEAMGRAPH_LOCAL_IDLE_S``
seconds without a request (or when ``teamgraph model serve`` is stopped).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from agents.llm.embedded import DEFAULT_MODEL, EmbeddedModel
from agents.llm.llama_server import LocalServerSettings, check_model_file
from agents.llm.server_record import ServerFiles, ServerRecord, answers, is_serving, locked
from tools.kernel.errors import LocalModelError

START_TIMEOUT_S = 600.0
"""Longest a server may take to load its model and answer (minutes on a busy machine)."""
LOOK_EVERY_S = 0.2

Launch = Callable[[LocalServerSettings, ServerFiles], subprocess.Popen[bytes]]
Probe = Callable[[str], bool]


def launch_server(settings: LocalServerSettings, files: ServerFiles) -> subprocess.Popen[bytes]:
    """Start ``python -m agents.llm.serve`` detached, printing into the server's log."""
    with files.path("log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "agents.llm.serve", settings.to_json()],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )


class LocalModelServer:
    """Finds or starts the machine's server of each embedded model."""

    def __init__(self, launch: Launch = launch_server, probe: Probe = answers) -> None:
        """``launch`` starts a server process, ``probe`` asks a URL whether it is healthy."""
        self._launch = launch
        self._probe = probe
        self._lock = threading.Lock()
        self._started: list[subprocess.Popen[bytes]] = []

    def base_url(self, model: EmbeddedModel = DEFAULT_MODEL) -> str:
        """Return ``model``'s OpenAI-compatible ``/v1`` URL, starting its server if needed."""
        return f"{self.record(model).url}/v1"

    def record(self, model: EmbeddedModel = DEFAULT_MODEL) -> ServerRecord:
        """The record of ``model``'s server on this machine (started if none is alive)."""
        settings = LocalServerSettings.from_env(model)
        check_model_file(settings)
        files = ServerFiles.for_model(settings.model_path)
        with self._lock:
            self._started = [p for p in self._started if p.poll() is None]
            found = self._alive(files)
            if found is not None:
                return found
            with locked(files.path("starting"), START_TIMEOUT_S):
                return self._alive(files) or self._start(settings, files)

    def running(self, model: EmbeddedModel = DEFAULT_MODEL) -> ServerRecord | None:
        """The record of ``model``'s server if one is alive and answers (nothing started)."""
        return self._alive(ServerFiles.for_model(LocalServerSettings.from_env(model).model_path))

    def _alive(self, files: ServerFiles) -> ServerRecord | None:
        record = files.read()
        if record is not None and is_serving(files) and self._probe(record.url):
            return record
        return None

    def _start(self, settings: LocalServerSettings, files: ServerFiles) -> ServerRecord:
        """Wait for a server that is alive but not answering yet, else start one."""
        if is_serving(files):
            found = self._wait(files, None)
            if found is not None:
                return found
        files.path("json").unlink(missing_ok=True)
        process = self._launch(settings, files)
        self._started.append(process)
        started = self._wait(files, process)
        assert started is not None
        return started

    def _wait(
        self, files: ServerFiles, process: subprocess.Popen[bytes] | None
    ) -> ServerRecord | None:
        """The record once the server ``process`` (None: the one alive) answers.

        None if the server alive (not started here) went away first; LocalModelError if
        ``process`` stopped, or nothing answered within :data:`START_TIMEOUT_S`.
        """
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            record = files.read()
            mine = process is None or (record is not None and record.pid == process.pid)
            if record is not None and mine and self._probe(record.url):
                return record
            if process is None and not is_serving(files):
                return None
            if process is not None and process.poll() is not None:
                raise LocalModelError(
                    files.last_words()
                    or f"The embedded model server stopped as it started: see {files.path('log')}."
                )
            time.sleep(LOOK_EVERY_S)
        raise self._unanswered(files, process)

    def _unanswered(
        self, files: ServerFiles, process: subprocess.Popen[bytes] | None
    ) -> LocalModelError:
        record = files.read()
        pid = process.pid if process is not None else (record.pid if record else None)
        if process is not None:
            process.kill()
        who = f" (process {pid})" if pid else ""
        return LocalModelError(
            f"The embedded model server{who} did not answer within {START_TIMEOUT_S:.0f} s; "
            f"see {files.path('log')}, stop it if it is still there, and try again."
        )

    def stop(self, model: EmbeddedModel = DEFAULT_MODEL) -> bool:
        """Stop ``model``'s server on this machine, if one runs; whether one was stopped."""
        files = ServerFiles.for_model(LocalServerSettings.from_env(model).model_path)
        record = files.read()
        if record is None or not is_serving(files):
            return False
        os.kill(record.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while is_serving(files) and time.monotonic() < deadline:
            time.sleep(LOOK_EVERY_S)
        return True


LOCAL_SERVER = LocalModelServer()
