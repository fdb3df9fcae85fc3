"""A command run on a pseudo-terminal, as a person at a terminal runs it: read, type, wait."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")


def plain(raw: str) -> str:
    """Terminal output without its control sequences and carriage returns."""
    return ESCAPES.sub("", raw)


class Terminal:
    """``python -m MODULE ARGS`` on a pseudo-terminal (stdin, stdout and stderr)."""

    def __init__(self, module: str, args: Sequence[str], env: Mapping[str, str]) -> None:
        """Start the process; its terminal is 120 columns wide."""
        self.master, slave = os.openpty()
        os.set_blocking(self.master, False)
        full_env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40", **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=full_env,
            close_fds=True,
        )
        os.close(slave)
        self.raw = ""

    @property
    def screen(self) -> str:
        """Everything shown so far, without control sequences."""
        return plain(self.raw)

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            self.raw += os.read(self.master, 65536).decode("utf-8", "replace")
        except OSError:  # the process has closed the terminal
            time.sleep(timeout)

    def expect(self, text: str, times: int = 1, timeout: float = 60.0) -> str:
        """Wait until ``text`` has been shown ``times`` times in all; returns the screen."""
        deadline = time.monotonic() + timeout
        while self.screen.count(text) < times:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not shown {times}x; the screen:\n{self.screen}")
            self._read(0.1)
        return self.screen

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        os.write(self.master, line.encode() + b"\r")

    def end_input(self) -> None:
        """Ctrl-D at the start of a line (end of input)."""
        os.write(self.master, b"\x04")

    def interrupt(self) -> None:
        """Ctrl-C, as the terminal delivers it (SIGINT to the process)."""
        self.process.send_signal(signal.SIGINT)

    def wait(self, timeout: float = 60.0) -> int:
        """Wait for the process to end, reading what it shows; returns its exit code."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"still running after {timeout}s; the screen:\n{self.screen}")
            self._read(0.1)
        for _ in range(5):
            self._read(0.05)
        os.close(self.master)
        return int(self.process.returncode)
