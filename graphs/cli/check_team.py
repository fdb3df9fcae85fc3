"""``teamgraph check FILE``: check a team file, and show its roles, their models and its graph.

A file that cannot be used gets one line naming its file, line and key, and exit code 2;
a model that will not work as things are (a missing key or package) is a warning.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from rich.console import Console

from agents.llm.models import check_model_spec, model_source, role_env_var
from graphs.cli.help import MODEL_ENV, command
from tools.kernel.errors import TeamgraphError

if TYPE_CHECKING:
    from graphs.teamfile.reading import LoadedTeam


def add_parser(commands: Any) -> None:
    """Register ``check``."""
    parser = command(
        commands,
        "check",
        description="Reads a team file as `teamgraph run --team-file` would, without calling "
        "any model: a problem is one line naming the file, the line and the key (exit code "
        "2). Prints each role with its model and the team's Mermaid diagram.",
        examples=["teamgraph check launch-brief.yaml", "teamgraph check team.yaml --json"],
        env=MODEL_ENV,
    )
    parser.add_argument("file", help="the team file (YAML)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def role_rows(loaded: LoadedTeam) -> list[dict[str, Any]]:
    """Each role: how it works, its model and where that comes from, and any warning."""
    from graphs.teamfile.builder import own_roles, team_role_model

    team = loaded.definition
    entries = [*team.roles, *filter(None, [team.aggregator])]
    own = set(own_roles(team))
    rows = []
    for entry in entries:
        kind = getattr(entry, "kind", "plain")
        row: dict[str, Any] = {"role": entry.name, "kind": kind}
        if entry.name in own:
            from_file = entry.model if not os.environ.get(role_env_var(entry.name)) else None
            chosen = model_source(entry.name, from_file)
            row.update(model=str(chosen.value), source="file" if from_file else chosen.source)
            warnings = _model_warnings(str(chosen.value))
        else:
            setting = team_role_model(entry.name, None, entry.model)
            row.update(model=str(setting) if setting else "its own", source="team")
            warnings = _model_warnings(str(setting)) if setting else []
        warnings += _tool_warnings(getattr(entry, "tools", None) or [])
        if warnings:
            row["warning"] = " ".join(warnings)
        rows.append(row)
    return rows


def _model_warnings(model: str) -> list[str]:
    """Why ``model`` will not work as things are (a missing key or package), if it will not."""
    try:
        check_model_spec(model)
    except TeamgraphError as error:
        return [str(error)]
    return []


def _tool_warnings(names: list[str]) -> list[str]:
    """Why any of the tools ``names`` will be left out as things are (a missing key, ...)."""
    from tools.toolbox import named_toolbox

    try:
        return list(named_toolbox(names).notes)
    except TeamgraphError as error:
        return [str(error)]


def run(args: argparse.Namespace, console: Console) -> int:
    """Print the team's roles with their models, warnings, and its diagram."""
    from graphs.cli.results import print_json
    from graphs.teamfile import load_team_file, team_file_spec

    loaded = load_team_file(args.file)
    spec = team_file_spec(loaded)
    graph = spec.build_graph(None, check_models=False)
    diagram = str(graph.get_graph().draw_mermaid()).rstrip()
    rows = role_rows(loaded)
    team = loaded.definition
    if args.json:
        print_json(
            {
                "team": team.name,
                "shape": team.shape,
                "file": str(loaded.path),
                "roles": rows,
                "mermaid": diagram,
            }
        )
        return 0
    print(f"{loaded.path}: the {team.name} team ({team.shape}) is ready to run.\n")
    for row in rows:
        print(f"  {row['role']:<14} {row['kind']:<9} {row['model']} ({row['source']})")
    print(f"\n```mermaid\n{diagram}\n```")
    for row in rows:
        if "warning" in row:
            console.print(
                f"[yellow]warning:[/yellow] {row['role']}: {row['warning']}",
                highlight=False,
                soft_wrap=True,
            )
    return 0
