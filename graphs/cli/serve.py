"""``teamgraph serve``: every team on an Agent Server (Aegra) with one or more workers."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console

from graphs.cli.heap import set_up_done
from graphs.cli.help import HOME_ENV, MODEL_ENV, command
from graphs.registry import TEAMS
from graphs.serving import aegra
from graphs.serving.workers import Workers, listen
from graphs.threads import postgres
from graphs.threads.location import CHECKPOINT_URL_ENV, checkpoint_url
from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.urls import masked

REDIS_URL_ENV = "TEAMGRAPH_REDIS_URL"
DEFAULT_PORT = 8123
STUDIO = "https://smith.langchain.com/studio/?baseUrl="


def add_parser(commands: Any) -> None:
    """Register ``serve``."""
    parser = command(
        commands,
        "serve",
        description="Starts Aegra, an open Agent Protocol server, on every team: clients "
        "(teamgraph --server URL, langgraph_sdk, LangGraph Studio) create threads and runs "
        "there. Threads live in the TEAMGRAPH_CHECKPOINT_URL database, shared with the CLI. "
        "With --workers N, N processes take runs from one Redis queue at one address; a run "
        "whose worker dies is taken up by another. Needs Python 3.12 and the serve extra.",
        examples=[
            "teamgraph serve",
            "teamgraph serve --workers 2 --redis redis://127.0.0.1:6379/0 --port 8123",
        ],
        env={
            CHECKPOINT_URL_ENV: "the PostgreSQL database of threads and Aegra's tables",
            REDIS_URL_ENV: "the Redis queue of the workers (or --redis)",
            **MODEL_ENV,
            **HOME_ENV,
        },
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--redis", metavar="URL", help=f"Redis queue (default: {REDIS_URL_ENV})")
    parser.set_defaults(run=run)


def check_redis(url: str) -> str:
    """``url`` if a Redis server answers there (one line saying what to fix otherwise)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise InputError(f"The Redis URL must look like redis://host:6379/0 (got {masked(url)}).")
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5):
            return url
    except OSError as error:
        raise TeamgraphError(
            f"Cannot reach Redis at {parts.hostname}:{parts.port or 6379} ({error}): start it "
            f"(redis-server), or fix --redis / {REDIS_URL_ENV}."
        ) from None


def _settings(args: argparse.Namespace) -> tuple[str, str | None]:
    if args.workers < 1:
        raise InputError("--workers must be 1 or more.")
    database = checkpoint_url()
    if database is None:
        raise InputError(
            f"teamgraph serve keeps threads in PostgreSQL: set {CHECKPOINT_URL_ENV}="
            "postgresql://user:password@host:5432/teamgraph."
        )
    redis = args.redis or os.environ.get(REDIS_URL_ENV, "").strip() or None
    if args.workers > 1 and redis is None:
        raise InputError(
            f"{args.workers} workers share their runs through Redis: give --redis "
            f"redis://host:6379/0 (or set {REDIS_URL_ENV})."
        )
    return database, check_redis(redis) if redis else None


def run(args: argparse.Namespace, console: Console) -> int:
    """Serve until Ctrl-C or SIGTERM (0), or until every worker has died (1)."""
    aegra.check_installed()
    database, redis = _settings(args)
    postgres.pool(database)
    listening = listen(args.host, args.port)
    url = f"http://{args.host}:{args.port}"
    with tempfile.TemporaryDirectory(prefix="teamgraph-serve-") as folder:
        config = aegra.write_config(Path(folder))
        base = {**os.environ, "HOST": args.host, "PORT": str(args.port)}
        workers = Workers(
            listening,
            lambda migrate: aegra.environment(base, config, database, redis, migrate=migrate),
            [database, *([redis] if redis else [])],
            lambda line: console.print(f"[yellow]{line}[/yellow]", highlight=False),
        )
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        set_up_done()
        try:
            workers.start(args.workers)
            queue = f", runs queued in {masked(redis)}" if redis else ""
            console.print(
                f"serving {', '.join(TEAMS)} at {url} with {args.workers} worker(s) "
                f"(Aegra {version('aegra-api')}); threads in {masked(database)}{queue}. "
                f"Studio: {STUDIO}{url}. Ctrl-C stops.",
                highlight=False,
                soft_wrap=True,
            )
            return workers.watch()
        except KeyboardInterrupt:
            console.print("stopping the workers...", highlight=False)
            return 0
        finally:
            workers.stop()
            listening.close()
