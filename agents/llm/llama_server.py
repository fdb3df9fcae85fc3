"""One embedded model served by xllamacpp on loopback, in the process that calls it.

How it is served: the settings (env overrides), threads that leave room for other
processes and sleep when idle, a bounded prompt cache, the model's own chat template
(jinja, tools included). :mod:`agents.llm.serve` runs it as a process of its own.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass
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
DEFAULT_IDLE_S = 300
"""A machine's server stops after this many seconds without a request."""


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
    idle_s: int = DEFAULT_IDLE_S
    """Seconds without a request after which a machine's server stops (0: never)."""

    @classmethod
    def from_env(cls, model: EmbeddedModel = DEFAULT_MODEL) -> LocalServerSettings:
        """Settings for ``model``; env ``TEAMGRAPH_LOCAL_PORT``, ``_THREADS``, ``_CACHE_MIB``.

        ``TEAMGRAPH_LOCAL_IDLE_S`` sets when a machine's server stops;
        ``TEAMGRAPH_LOCAL_MODEL_PATH`` serves another GGUF file in place of the default model.
        """
        path = replaced_file(model)
        idle_s = _int_env("TEAMGRAPH_LOCAL_IDLE_S", DEFAULT_IDLE_S)
        if idle_s < 0:
            raise LocalModelError(
                f"TEAMGRAPH_LOCAL_IDLE_S={idle_s} must be 0 (never stop) or more seconds."
            )
        return cls(
            model_path=path or model_path(model),
            port=_int_env("TEAMGRAPH_LOCAL_PORT", 0),
            threads=_int_env("TEAMGRAPH_LOCAL_THREADS", 0),
            context_tokens=model.context_tokens,
            prompt_cache_mib=_int_env("TEAMGRAPH_LOCAL_CACHE_MIB", PROMPT_CACHE_MIB),
            idle_s=idle_s,
        )

    @property
    def cpu_threads(self) -> int:
        """The CPU threads llama.cpp gets (:func:`default_threads` unless set)."""
        return self.threads if self.threads > 0 else default_threads()

    def to_json(self) -> str:
        """The settings as JSON (how a server process is told them)."""
        return json.dumps({**asdict(self), "model_path": str(self.model_path)})

    @classmethod
    def from_json(cls, text: str) -> LocalServerSettings:
        """Settings written by :meth:`to_json`."""
        data = json.loads(text)
        return cls(**{**data, "model_path": Path(data["model_path"])})


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


def check_model_file(settings: LocalServerSettings) -> None:
    """Raise LocalModelError, saying how to get it, if the model file is missing."""
    if not settings.model_path.is_file():
        raise LocalModelError(
            f"The embedded model file {settings.model_path} is missing: install it with "
            "`teamgraph model install NAME --force` (`teamgraph model list` names them), "
            f"or point {MODEL_PATH_ENV} at a .gguf file."
        )


def create_server(settings: LocalServerSettings) -> Any:
    """Start an xllamacpp server for ``settings``; raise LocalModelError if it cannot.

    Its ``handle_metrics()`` counts what it has done (how a server knows it is idle).
    """
    check_model_file(settings)
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
    params.endpoint_metrics = True
    for cpu in (params.cpuparams, params.cpuparams_batch):
        cpu.n_threads = settings.cpu_threads
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
