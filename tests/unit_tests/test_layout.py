"""The shape of the code: imports point down, functions stay short, one registry of teams."""

import ast
import importlib
import json
from pathlib import Path

from graphs.registry import TEAMS, langgraph_config
from tools.calculator import calculator

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 60


def modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def test_imports_point_down_only():
    for path in modules("tools"):
        assert not imported(path) & {"agents", "graphs"}, path
    for path in modules("agents"):
        assert "graphs" not in imported(path), path


def test_no_function_in_graphs_or_agents_is_longer_than_a_page():
    long = []
    for package in ("graphs", "agents"):
        for path in modules(package):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        long.append(f"{path.relative_to(ROOT)}:{node.name} ({lines} lines)")
    assert long == []


def test_langgraph_json_serves_every_registered_team():
    assert json.loads((ROOT / "langgraph.json").read_text()) == langgraph_config()
    for spec in TEAMS.values():
        path, _, attribute = spec.graph_path.partition(":")
        module = importlib.import_module(
            path.removeprefix("./").removesuffix(".py").replace("/", ".")
        )
        assert getattr(module, attribute).name == spec.name


def test_every_registered_team_builds_and_names_its_roles():
    for name, spec in TEAMS.items():
        graph = spec.build_graph(None, check_models=False, tools=[calculator])
        assert graph.name == name
        assert spec.roles and spec.description
        fields = {f for f in graph.context_schema.__dataclass_fields__}
        assert {f"{role}_model" for role in spec.roles} <= fields, name
        assert {"max_calls", "max_tokens_total"} <= fields, name


def test_the_readme_diagrams_are_drawn_from_the_graphs():
    from graphs.diagrams import README, with_diagrams

    text = README.read_text(encoding="utf-8")
    assert text.count("<!-- diagram: ") == len(TEAMS)
    assert with_diagrams(text) == text, "run `python -m graphs.diagrams`"
