"""A machine's embedded model server, as a process of its own.

``python -m agents.llm.serve SETTINGS_JSON`` is how a process that needs the model
starts it in the background; ``teamgraph model serve`` runs :func:`serve` in the
foreground. The server holds its ``serving`` lock for as long as it lives, writes its
record once it answers, and stops (removing the record) after ``idle_s`` seconds in which
it did nothing, on SIGTERM, or on Ctrl-C.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from agents.llm.llama_server import LocalServerSettings, create_server
from agents.llm.server_record import ServerFiles, ServerRecord, try_lock
from tools.kernel.errors import LocalModelError

POLL_S = 2.0
"""How often the server looks at what it has done (to know it is idle)."""
WORK_COUNTERS = (
    "prompt_tokens_total",
    "prompt_tokens_cached_total",
    "tokens_predicted_total",
    "n_decode_total",
    "requests_processing",
    "requests_deferred",
)
METRIC = re.compile(r"^llamacpp:(\w+) ([0-9.eE+-]+)$", re.M)


def work_done(server: Any) -> dict[str, float]:
    """What the server has done and is doing: tokens, decode calls, requests in hand."""
    found = {name: float(value) for name, value in METRIC.findall(str(server.handle_metrics()))}
    return {name: found.get(name, 0.0) for name in WORK_COUNTERS}


def wait_while_used(
    server: Any,
    idle_s: int,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once the server has done nothing for ``idle_s`` seconds (never if 0).

    Busy means a counter moved since the last look, or a request is in hand.
    """
    seen = work_done(server)
    quiet_since = clock()
    while True:
        sleep(POLL_S)
        now = work_done(server)
        in_hand = now["requests_processing"] + now["requests_deferred"] > 0
        if now != seen or in_hand:
            seen, quiet_since = now, clock()
        elif idle_s and clock() - quiet_since >= idle_s:
            return


def serve(
    settings: LocalServerSettings,
    files: ServerFiles,
    on_ready: Callable[[ServerRecord], None] | None = None,
) -> None:
    """Serve ``settings``' model until it has been idle for ``settings.idle_s`` seconds.

    Raises LocalModelError if another process already serves it, or it cannot start.
    """
    holding = try_lock(files.path("serving"))
    if holding is None:
        record = files.read()
        where = f" at {record.url} by process {record.pid}" if record else ""
        raise LocalModelError(
            f"The embedded model {settings.model_path.name} is already served{where}: "
            "it is used as it is (stop that process to serve it with other settings)."
        )
    pid = os.getpid()
    try:
        server = create_server(settings)
        record = ServerRecord(
            pid=pid,
            url=str(server.listening_address),
            model_file=str(settings.model_path),
            threads=settings.cpu_threads,
            context_tokens=settings.context_tokens,
            parallel_slots=settings.parallel_slots,
            idle_s=settings.idle_s,
            started=time.time(),
        )
        files.write(record)
        if on_ready:
            on_ready(record)
        wait_while_used(server, settings.idle_s)
    finally:
        files.remove(pid)
        holding.close()


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM's handler while serving: stop as Ctrl-C would, removing the record."""
    raise SystemExit(0)


def main(argv: list[str]) -> int:
    """Serve in the background: the settings as JSON in ``argv[0]``; 1 if it cannot start."""
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    settings = LocalServerSettings.from_json(argv[0])
    files = ServerFiles.for_model(settings.model_path)
    try:
        serve(settings, files, lambda r: print(f"serving {r.model_file} at {r.url}", flush=True))
    except LocalModelError as error:
        print(error, flush=True)
        return 1
    print("stopped after being idle", flush=True)
    return 0


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
    except SystemExit as stop:  # SIGTERM
        code = int(stop.code or 0)
    sys.stdout.flush()
    os._exit(code)  # the server's threads are not waited for: the process is done
