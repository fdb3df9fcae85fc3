"""``--detach``: start a command that runs a team in a background process, print its thread.

The command runs again in a process of its own (a new session, so it outlives this one
and Ctrl-C here does not reach it), on the thread given or a new one, with its output in
``TEAMGRAPH_HOME/logs/``. This process waits until the run holds its thread: a request
refused before the run starts (a bad team file, a missing key) is said here, with its
exit code, as if the command had not been detached.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from rich.console import Console

from graphs.cli.results import print_json
from graphs.threads.locks import is_running
from tools.kernel.home import teamgraph_home

START_WAIT_S = 60.0
"""How long to wait for the background run to hold its thread before saying it is starting."""


def log_paths(thread: str) -> tuple[Path, Path]:
    """Where a detached run of ``thread`` writes its result and its progress."""
    folder = teamgraph_home() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]", "_", thread)[:80]
    return folder / f"{stem}.out", folder / f"{stem}.log"


def entry_module() -> str:
    """The module this process was started as (``python -m``), else the CLI's own."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    name = str(getattr(spec, "name", "") or "")
    return name.removesuffix(".__main__") if name else "graphs.cli"


def start_detached(argv: list[str], args: argparse.Namespace, console: Console) -> int:
    """Start ``argv`` (without ``--detach``) in the background on a thread; say which."""
    thread = args.thread or uuid.uuid4().hex[:12]
    command = [arg for arg in argv if arg != "--detach"]
    if not args.thread:
        command += ["--thread", thread]
    out, log = log_paths(thread)
    with out.open("w", encoding="utf-8") as stdout, log.open("w", encoding="utf-8") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", entry_module(), *command],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
            env={**os.environ, "TEAMGRAPH_HOME": str(teamgraph_home())},
        )
    deadline = time.monotonic() + START_WAIT_S
    while not is_running(thread) and time.monotonic() < deadline:
        code = child.poll()
        if code is not None:
            sys.stdout.write(out.read_text(encoding="utf-8"))
            sys.stderr.write(log.read_text(encoding="utf-8"))
            return code
        time.sleep(0.05)
    if args.json:
        print_json({"thread": thread, "status": "running", "pid": child.pid, "log": str(log)})
    else:
        print(thread)
        console.print(
            f"[dim]running in the background (pid {child.pid}, log {log}); "
            f"`teamgraph wait {thread}` prints its result[/dim]",
            highlight=False,
            soft_wrap=True,
        )
    return 0
