"""``teamgraph serve``'s workers: Aegra processes sharing one listening socket, watched.

The first starts alone (it brings Aegra's tables up to date), then the others. Their
output is relayed with the database's and the queue's passwords hidden. A worker that dies
is said so and serving goes on while one is left; a run it held is queued again by the
others once its lease expires. Ctrl-C or SIGTERM stops them all, each given time to finish.
"""

from __future__ import annotations

import collections
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from graphs.serving.worker import READY
from tools.kernel.errors import TeamgraphError
from tools.kernel.urls import scrubbed

STARTUP_S = 300.0
"""How long a worker may take to start (importing every team on a busy machine is slow)."""
STOP_S = 45.0
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` that child processes can inherit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        raise TeamgraphError(
            f"Cannot listen on {host}:{port} ({error.strerror}): choose another --port or --host."
        ) from None
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening


@dataclass
class Worker:
    """One Aegra process, its readiness and its last lines of output."""

    number: int
    process: subprocess.Popen[str]
    ready: threading.Event = field(default_factory=threading.Event)
    last_lines: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=15))


class Workers:
    """The workers of one ``teamgraph serve``."""

    def __init__(
        self,
        listening: socket.socket,
        environment: Callable[[bool], dict[str, str]],
        secrets: list[str],
        say: Callable[[str], None],
    ) -> None:
        """``environment(migrate)`` is a worker's; ``secrets`` are URLs hidden in its output."""
        self.listening = listening
        self.environment = environment
        self.secrets = secrets
        self.say = say
        self.workers: list[Worker] = []

    def _spawn(self, number: int, migrate: bool) -> Worker:
        fd = self.listening.fileno()
        process = subprocess.Popen(
            [sys.executable, "-m", "graphs.serving.worker", str(fd)],
            env=self.environment(migrate),
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        worker = Worker(number, process)
        threading.Thread(target=self._relay, args=(worker,), daemon=True).start()
        self.workers.append(worker)
        return worker

    def _hidden(self, line: str) -> str:
        for url in self.secrets:
            line = scrubbed(line, url)
        return line

    def _relay(self, worker: Worker) -> None:
        assert worker.process.stdout is not None
        for line in worker.process.stdout:
            if line.strip() == READY:
                worker.ready.set()
                continue
            shown = self._hidden(COLOURS.sub("", line.rstrip("\n")))
            worker.last_lines.append(shown)
            print(f"[worker {worker.number}] {shown}", file=sys.stderr, flush=True)

    def _wait_ready(self, worker: Worker) -> None:
        deadline = time.monotonic() + STARTUP_S
        while not worker.ready.wait(0.5):
            if worker.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                said = " | ".join(worker.last_lines) or "no output"
                raise TeamgraphError(f"Worker {worker.number} did not start ({said}).")

    def start(self, count: int) -> None:
        """Start ``count`` workers, the first alone; return once every one accepts."""
        self._wait_ready(self._spawn(1, migrate=True))
        others = [self._spawn(number, migrate=False) for number in range(2, count + 1)]
        for worker in others:
            self._wait_ready(worker)

    def alive(self) -> list[Worker]:
        """The workers still running."""
        return [worker for worker in self.workers if worker.process.poll() is None]

    def watch(self) -> int:
        """Serve until stopped (0) or until no worker is left (1), saying each that ends."""
        told: set[int] = set()
        while True:
            for worker in self.workers:
                code = worker.process.poll()
                if code is not None and worker.number not in told:
                    told.add(worker.number)
                    how = f"signal {-code}" if code < 0 else f"exit code {code}"
                    self.say(
                        f"worker {worker.number} (pid {worker.process.pid}) ended ({how}); "
                        f"{len(self.alive())} of {len(self.workers)} still serve"
                    )
            if not self.alive():
                return 1
            time.sleep(0.5)

    def stop(self) -> None:
        """Ask every worker to stop, then kill those still running after a while."""
        for worker in self.alive():
            worker.process.terminate()
        deadline = time.monotonic() + STOP_S
        for worker in self.workers:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
