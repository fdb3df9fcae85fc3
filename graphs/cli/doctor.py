"""``teamgraph doctor``: every setting with where it came from, and checks with their fixes."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from rich.console import Console

from agents.llm.models import model_source
from graphs.cli import ENV_FILE_LOADED, checks
from graphs.cli.exit_codes import EXIT_ERROR, EXIT_OK
from graphs.cli.help import HOME_ENV, MODEL_ENV, TOOLS_ENV, command
from graphs.cli.results import print_json
from graphs.cli.storage_checks import storage_checks, storage_rows
from graphs.registry import TEAMS
from tools.kernel.config import SETTINGS, ConfigError, Resolved, resolve
from tools.knowledge_store import DEFAULT_COLLECTION
from tools.tool_runner_defaults import DEFAULT_TOOL_TIMEOUT_S

DEFAULTS: dict[str, Any] = {
    "collection": DEFAULT_COLLECTION,
    "tools": "the default toolbox",
    "mcp": "none",
    "max_calls": "no limit",
    "max_tokens_total": "no limit",
    "tool_timeout_s": DEFAULT_TOOL_TIMEOUT_S,
}


def add_parser(commands: Any) -> None:
    """Register the ``doctor`` command."""
    parser = command(
        commands,
        "doctor",
        description="Each setting with the place it comes from (flag, environment, project "
        "file or default), then checks of the embedded model file, the data packages, API "
        "keys and a free port, each with the fix when it fails.",
        examples=["teamgraph doctor", "teamgraph doctor --json"],
        env={**MODEL_ENV, **TOOLS_ENV, **HOME_ENV},
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def _safely(name: str) -> Resolved:
    try:
        return resolve(name, None, DEFAULTS.get(name))
    except ConfigError as error:
        return Resolved(None, f"error: {error}")


def settings_rows() -> list[dict[str, Any]]:
    """Each role's model and each other setting: its value and where it came from."""
    roles = dict.fromkeys(role for spec in TEAMS.values() for role in spec.roles)
    rows = []
    for role in roles:
        chosen = model_source(role)
        rows.append({"setting": f"{role} model", "value": chosen.value, "source": chosen.source})
    for name in SETTINGS:
        chosen = _safely(name)
        rows.append({"setting": name, "value": chosen.value, "source": chosen.source})
    return rows + storage_rows()


def run_checks(models: list[str]) -> list[checks.Check]:
    """Every check, in the order they are shown."""
    found = [
        checks.env_file_check(ENV_FILE_LOADED[0]),
        checks.project_file_check(),
        *checks.model_checks(models),
        *checks.local_model_checks(models),
        checks.port_check(),
        *checks.data_checks(),
        checks.web_search_check(),
        *checks.tools_check(),
        checks.tracing_check(),
        *storage_checks(),
    ]
    if not checks.needs_local(models):
        found = [
            dataclasses.replace(c, status="warn")
            if c.status == "fail" and (c.name.startswith("embedded model") or c.name == "port")
            else c
            for c in found
        ]
    return found


def run(args: argparse.Namespace, console: Console) -> int:
    """Print the settings and the checks; exit 1 if any check failed."""
    rows = settings_rows()
    models = [str(row["value"]) for row in rows if row["setting"].endswith(" model")]
    found = run_checks(models)
    failed = any(check.status == "fail" for check in found)
    if args.json:
        print_json({"settings": rows, "checks": [dataclasses.asdict(c) for c in found]})
        return EXIT_ERROR if failed else EXIT_OK
    print("settings (flag > env > file > default):")
    width = max(len(row["setting"]) for row in rows)
    for row in rows:
        value = ", ".join(row["value"]) if isinstance(row["value"], list) else row["value"]
        print(f"  {row['setting']:<{width}}  {value}  ({row['source']})")
    print("checks:")
    for check in found:
        fix = f"  fix: {check.fix}" if check.fix and check.status != "ok" else ""
        print(f"  {check.status:<4}  {check.name}: {check.detail}{fix}")
    return EXIT_ERROR if failed else EXIT_OK
