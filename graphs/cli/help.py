"""Each command's help: what it does, its examples, and the environment variables it reads."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from graphs.cli.commands import COMMANDS

MODEL_ENV = {
    "TEAMGRAPH_MODEL": "model of every role not set otherwise (provider:model or local)",
    "TEAMGRAPH_<ROLE>_MODEL": "model of one role, e.g. TEAMGRAPH_CRITIC_MODEL",
    "OPENAI_API_KEY / OPENAI_BASE_URL": "key and server for openai:<model> (any compatible one)",
    "TEAMGRAPH_LOCAL_THREADS": "CPU threads of the embedded model (default: half the CPUs)",
    "TEAMGRAPH_LOCAL_TIMEOUT_S": "seconds one embedded-model call may take (default 300)",
}
HOME_ENV = {
    "TEAMGRAPH_HOME": "where threads, the knowledge base and logs live (~/.teamgraph)",
    "TEAMGRAPH_CHECKPOINT_URL": "a postgresql:// database for threads instead (shared)",
    "TEAMGRAPH_CHROMA_URL": "a Chroma server for the knowledge base instead (chroma run)",
}
TOOLS_ENV = {
    "TAVILY_API_KEY": "turns web_search on",
    "TEAMGRAPH_OFFLINE": "set to 1: no tool goes online",
}


def command(
    commands: Any,
    name: str,
    *,
    description: str,
    examples: Sequence[str],
    env: dict[str, str] | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` says what it does, shows examples and names its env vars."""
    lines = ["examples:", *(f"  {example}" for example in examples)]
    variables = {
        **(env or {}),
        "TEAMGRAPH_DEBUG": "set to 1: print tracebacks of unexpected errors",
    }
    width = max(len(key) for key in variables)
    lines += ["", "environment:", *(f"  {k.ljust(width)}  {v}" for k, v in variables.items())]
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        allow_abbrev=False,
        help=COMMANDS[name][1],
        description=description,
        epilog="\n".join(lines),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
