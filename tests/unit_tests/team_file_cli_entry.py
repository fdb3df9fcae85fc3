"""The CLI in a process of its own, every model a scripted one (no model, no network).

``python -m tests.unit_tests.team_file_cli_entry ARGS...`` runs ``teamgraph ARGS...``.
Every model answers "Work of: <the first line of its prompt>", appends that line to the
file ``TEAM_FILE_CALLS`` (so a test counts calls across processes), and takes
``TEAM_FILE_SLOW_S`` seconds when its prompt says "slow".
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from agents.llm import models
from graphs.cli import main
from tests.fakes import RoutedChatModel


def work(prompt: str) -> str:
    """Log the call, take its time, and answer."""
    persona = prompt.split("\n")[0]
    with Path(os.environ["TEAM_FILE_CALLS"]).open("a", encoding="utf-8") as log:
        log.write(persona + "\n")
    if "slow" in persona:
        time.sleep(float(os.environ.get("TEAM_FILE_SLOW_S", "0")))
    return f"Work of: {persona}"


def install() -> None:
    """Every model setting loads the scripted model."""
    scripted = RoutedChatModel(rules=[("", work)])
    models.load_chat_model = lambda setting: scripted  # type: ignore[assignment]


if __name__ == "__main__":
    install()
    sys.exit(main(sys.argv[1:]))
