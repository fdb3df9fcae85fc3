"""Real servers on free ports of 127.0.0.1, for the deployment tests and benchmarks.

PostgreSQL (Debian's; ``initdb`` runs as the ``postgres`` user when we are root, since it
refuses root), Redis and ``chroma run``, each in a folder of its own, stopped and removed
on exit. :func:`missing` says what this machine lacks (``make deploy-env`` installs it).
Output goes to a log file, since a pipe nobody reads fills up and blocks the server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVE_VENV = ROOT / ".venv-serve"
"""The Python 3.12 environment with the ``serve`` extra (``make deploy-env``)."""
PG_USER = "teamgraph"
PG_PASSWORD = "s3cret-pw"
STARTUP_S = 180.0
"""How long a server may take to start on a busy machine."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pg_bindir() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), if installed."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def serve_python() -> Path | None:
    """The Python of the environment that runs ``teamgraph serve`` (Aegra), if built."""
    python = SERVE_VENV / "bin" / "python"
    return python if (SERVE_VENV / "bin" / "aegra").exists() else None


def missing(*needs: str) -> str | None:
    """Why these servers cannot start here (None if they can): ``postgres``, ``redis``, ``aegra``."""
    lacking = []
    if "postgres" in needs and pg_bindir() is None:
        lacking.append("PostgreSQL (initdb)")
    if "redis" in needs and shutil.which("redis-server") is None:
        lacking.append("redis-server")
    if "aegra" in needs and serve_python() is None:
        lacking.append(f"the Python 3.12 environment with Aegra ({SERVE_VENV.name})")
    if not lacking:
        return None
    return f"{', '.join(lacking)} not installed here: `make deploy-env` installs them"


def wait_until(
    ready: Callable[[], bool],
    what: str,
    process: subprocess.Popen,
    log: Path,
    timeout: float = STARTUP_S,
) -> None:
    """Wait for ``ready()``; else fail saying first whether ``process`` ended or hung.

    The reason comes before the end of the log, so a report that cuts long messages
    still says it.
    """
    started = time.monotonic()
    while not ready():
        waited = time.monotonic() - started
        if process.poll() is not None or waited > timeout:
            status = (
                f"ended with status {process.returncode}"
                if process.returncode is not None
                else f"was not ready after {waited:.0f} s"
            )
            text = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise RuntimeError(f"{what} {status}; the end of its log:\n{text}")
        time.sleep(0.2)


def http_ok(url: str, timeout: float = 2) -> bool:
    """Whether ``url`` answers 200 (straight, never through a proxy: it is on loopback)."""
    try:
        return httpx.get(url, timeout=timeout, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


def _as_owner(command: list[str]) -> list[str]:
    """``command`` run as the ``postgres`` user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresServer:
    """A PostgreSQL cluster of its own: ``with PostgresServer() as pg: pg.url()``."""

    def __init__(self, *, fsync: bool = False) -> None:
        """``fsync`` off by default: tests need no durability across a machine crash."""
        self.bindir = pg_bindir()
        self.fsync = fsync
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="tg-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    def url(self, database: str = "teamgraph", password: str = PG_PASSWORD) -> str:
        """The URL of ``database`` as the cluster's owner."""
        return f"postgresql://{PG_USER}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run(
            _as_owner([str(self.bindir / command[0]), *command[1:]]),
            check=True,
            capture_output=True,
            timeout=STARTUP_S,
        )

    def __enter__(self) -> PostgresServer:
        if self.bindir is None:
            raise RuntimeError(missing("postgres"))
        password_file = self.folder / "password"
        password_file.write_text(PG_PASSWORD)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(password_file, "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", PG_USER, "-A", "scram-sha-256",
            f"--pwfile={password_file}", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self.start()
        self.create_database("teamgraph")
        return self

    def start(self) -> None:
        """Start (or start again) the server on its port."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            f"-c max_connections=200 -c fsync={'on' if self.fsync else 'off'}"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` is a crash: no shutdown checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        """An empty database ``name``."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class _Process:
    """A server process with its log, stopped on exit."""

    name = "server"
    startup_s = STARTUP_S
    stop_s = 30.0

    def __init__(self, environment: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix=f"tg-{self.name}-"))
        self.log = self.folder / "server.log"
        self.environment = environment
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def __enter__(self):  # noqa: ANN204
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                env=self.environment,
            )
        wait_until(self.ready, self.name, self.process, self.log, self.startup_s)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer(_Process):
    """Redis without persistence: ``with RedisServer() as redis: redis.url``."""

    name = "redis"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.folder),
        ]  # fmt: skip

    def ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class ChromaServer(_Process):
    """``chroma run`` on a folder of its own: ``with ChromaServer() as chroma: chroma.url``."""

    name = "chroma"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        chroma = Path(sys.executable).parent / "chroma"
        return [
            str(chroma), "run", "--path", str(self.folder / "data"),
            "--host", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip

    def ready(self) -> bool:
        return http_ok(f"{self.url}/api/v2/heartbeat")


class TeamgraphServe(_Process):
    """``teamgraph serve`` from the Python 3.12 environment, ``workers`` of them.

    ``environment`` must name the database (TEAMGRAPH_CHECKPOINT_URL) and the models.
    """

    name = "serve"
    startup_s = 600.0
    """Each worker imports every team; on a busy machine that takes a while."""
    stop_s = 120.0

    def __init__(self, environment: dict[str, str], workers: int, redis: str) -> None:
        super().__init__(environment)
        self.workers = workers
        self.redis = redis

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def said(self) -> str:
        """Everything serve has printed so far."""
        return self.log.read_text(errors="replace")

    def command(self) -> list[str]:
        return [
            str(SERVE_VENV / "bin" / "teamgraph"), "serve", "--workers", str(self.workers),
            "--port", str(self.port), "--redis", self.redis,
        ]  # fmt: skip

    def ready(self) -> bool:
        return self.log.exists() and "serving writer" in self.said()
