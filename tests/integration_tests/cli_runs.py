"""Driving the real CLI in subprocesses against the scripted OpenAI-compatible server."""

import json
import os
import subprocess
import sys
import time

from tests.fake_openai_server import FakeOpenAIServer

CLI = [sys.executable, "-c", "import sys; from graphs.cli import main; sys.exit(main())"]


def server_env(server: FakeOpenAIServer, home) -> dict[str, str]:
    """The environment of a CLI run that reaches ``server`` as ``openai:fake``, offline."""
    return {
        **os.environ,
        "TEAMGRAPH_HOME": str(home),
        "TEAMGRAPH_OFFLINE": "1",
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "fake",
    }


def cli(environment, *args, timeout=300):
    """Run one command to its end."""
    return subprocess.run(
        [*CLI, *args], env=environment, capture_output=True, text=True, timeout=timeout
    )


def start(environment, *args):
    """Start one command in the background."""
    return subprocess.Popen(
        [*CLI, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(predicate, timeout=120):
    """Wait until ``predicate()`` holds (fail, not hang, if it never does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def thread_row(environment, thread):
    """The ``threads --json`` row of ``thread``."""
    listing = cli(environment, "threads", "--json")
    assert listing.returncode == 0, listing.stderr
    return next(row for row in json.loads(listing.stdout) if row["thread"] == thread)
