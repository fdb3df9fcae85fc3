"""A teamgraph process as a user's machine runs it: its modules compiled once, then reused.

Python keeps each module's compiled code next to it (``__pycache__``, as pip does at
install), so a user's second command no longer compiles the project. A shell may set
``PYTHONDONTWRITEBYTECODE``, which makes every process compile all of it again (0.15-0.2 s
of a start-up); the commands a benchmark times as a user runs them run without it, after
the project's packages were compiled once.
"""

from __future__ import annotations

import compileall
import os
from collections.abc import Mapping
from pathlib import Path

PACKAGES = ("graphs", "agents", "tools")
ROOT = Path(__file__).resolve().parents[1]


def user_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (this process's environment) as a user's shell has it: compiled code is kept."""
    environment = dict(os.environ if base is None else base)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def compile_project() -> None:
    """Compile the project's packages once, as a user's first command (or pip) does."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
