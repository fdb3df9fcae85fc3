"""The embedded models, served in-process by xllamacpp on loopback.

A model's server starts lazily, once per process, on the first request for it; every
role using that model shares it, and it stops when the process exits. The server applies
the model's own chat template (jinja), tools included.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.llm.embedded import DEFAULT_MODEL, EmbeddedModel, model_path
from tools.kernel.errors import LocalModelError

HOST = "127.0.0.1"
PARALLEL_SLOTS = 4
MODEL_PATH_ENV = "TEAMGRAPH_LOCAL_MODEL_PATH"
PROMPT_CACHE_MIB = 512
"""Host memory for prompts kept to be reused (llama.cpp's own default, 8 GiB, lets a long
evaluation grow to that size for a 135M model)."""


@dataclass(frozen=True)
class LocalServerSettings:
    """Where the model file is and how to serve it (env overrides read at start)."""

    model_path: Path
    port: int = 0
    threads: int = 0
    """CPU threads; 0: :func:`default_threads`."""
    context_tokens: int = DEFAULT_MODEL.context_tokens
    parallel_slots: int = PARALLEL_SLOTS
    prompt_cache_mib: int = PROMPT_CACHE_MIB

    @classmethod
    def from_env(cls, model: EmbeddedModel = DEFAULT_MODEL) -> LocalServerSettings:
        """Settings for ``model``; env ``TEAMGRAPH_LOCAL_PORT``, ``_THREADS``, ``_CACHE_MIB``.

        ``TEAMGRAPH_LOCAL_MODEL_PATH`` serves another GGUF file in place of the default model.
        """
        path = replaced_file(model)
        return cls(
            model_path=path or model_path(model),
            port=_int_env("TEAMGRAPH_LOCAL_PORT", 0),
            threads=_int_env("TEAMGRAPH_LOCAL_THREADS", 0),
            context_tokens=model.context_tokens,
            prompt_cache_mib=_int_env("TEAMGRAPH_LOCAL_CACHE_MIB", PROMPT_CACHE_MIB),
        )


DEFAULT_TIMEOUT_S = 300


def call_timeout_s() -> int:
    """Seconds one call to an embedded model may take (``TEAMGRAPH_LOCAL_TIMEOUT_S``)."""
    seconds = _int_env("TEAMGRAPH_LOCAL_TIMEOUT_S", DEFAULT_TIMEOUT_S)
    if seconds < 1:
        raise LocalModelError(f"TEAMGRAPH_LOCAL_TIMEOUT_S={seconds} must be 1 or more seconds.")
    return seconds


def default_threads() -> int:
    """Half the CPUs (at least one), and threads that sleep when idle instead of spinning.

    llama.cpp's threads meet at a barrier after every layer: with a thread per core and any
    other busy process, one descheduled thread stalls the rest (measured on 2 shared cores:
    a 60-token reply took over 300 s with 2 threads, 9 s with 1).
    """
    return max(1, (os.cpu_count() or 2) // 2)


def replaced_file(model: EmbeddedModel) -> Path | None:
    """The GGUF file ``TEAMGRAPH_LOCAL_MODEL_PATH`` serves in place of the default model."""
    path = os.environ.get(MODEL_PATH_ENV, "").strip()
    return Path(path) if path and model is DEFAULT_MODEL else None


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise LocalModelError(
            f"{name}={raw!r} is not an integer; unset it or give a number."
        ) from None


FIRST_REQUEST = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}
"""Answered before a new server is handed out: its request loop is then running, and
stopping it cannot hang (a stop that comes before the loop starts is lost, and the
server's destructor then waits for the loop forever)."""


def _check_port_free(port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise LocalModelError(
                f"Port {port} on {HOST} is in use, so the embedded model cannot be served "
                "there: set TEAMGRAPH_LOCAL_PORT to a free port, or unset it to pick one."
            ) from error


def create_server(settings: LocalServerSettings) -> Any:
    """Start an xllamacpp server for ``settings``; raise LocalModelError if it cannot."""
    if not settings.model_path.is_file():
        raise LocalModelError(
            f"The embedded model file {settings.model_path} is missing: install it with "
            "`teamgraph model install NAME --force` (`teamgraph model list` names them), "
            f"or point {MODEL_PATH_ENV} at a .gguf file."
        )
    _check_port_free(settings.port)
    try:
        import xllamacpp
    except ImportError as error:
        raise LocalModelError(
            "xllamacpp is not installed: run `pip install xllamacpp` (or `make install`)."
        ) from error
    params = xllamacpp.CommonParams()
    params.model.path = str(settings.model_path)
    params.hostnames = [HOST]
    params.port = settings.port
    params.n_ctx = settings.context_tokens
    params.n_parallel = settings.parallel_slots
    params.kv_unified = True
    params.cache_ram_mib = settings.prompt_cache_mib
    params.verbosity = -1
    params.use_jinja = True
    threads = settings.threads if settings.threads > 0 else default_threads()
    for cpu in (params.cpuparams, params.cpuparams_batch):
        cpu.n_threads = threads
        cpu.poll = 0
    try:
        server = xllamacpp.Server(params)
    except RuntimeError as error:
        raise LocalModelError(
            f"The embedded model server could not start on {HOST}:{settings.port or 'any'} "
            f"with {settings.model_path.name} ({error}); check that the file is a valid "
            "GGUF model and the port is free."
        ) from error
    server.handle_chat_completions(FIRST_REQUEST)
    return server


class LocalModelServer:
    """One xllamacpp server per embedded model and process, started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._servers: dict[str, Any] = {}
        self._registered = False

    @property
    def running(self) -> bool:
        """Whether any model's server has been started and not stopped."""
        return bool(self._servers)

    def base_url(self, model: EmbeddedModel = DEFAULT_MODEL) -> str:
        """Return ``model``'s OpenAI-compatible ``/v1`` URL, starting its server if needed."""
        return f"{self.server(model).listening_address}/v1"

    def server(self, model: EmbeddedModel = DEFAULT_MODEL) -> Any:
        """The running ``xllamacpp.Server`` of ``model`` (started if needed)."""
        server = self._servers.get(model.name)
        if server is None:
            with self._lock:
                server = self._servers.get(model.name)
                if server is None:
                    server = create_server(LocalServerSettings.from_env(model))
                    self._servers[model.name] = server
                    if not self._registered:
                        atexit.register(self.stop)
                        self._registered = True
        return server

    def stop(self) -> None:
        """Stop every server; the next request starts its model again."""
        with self._lock:
            self._servers.clear()


LOCAL_SERVER = LocalModelServer()
