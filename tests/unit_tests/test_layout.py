"""The shape of the code: imports point down, functions stay short, one registry of teams,
and a team's facts live in its own package, never in the CLI's shared machinery."""

import ast
import importlib
import json
import re
from pathlib import Path

from graphs.common.spec import no_members
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


def dotted_imports(path: Path) -> set[str]:
    """Every module ``path`` imports, by its full name (``from graphs import x``: ``graphs.x``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def graphs_parts(path: Path) -> set[str]:
    """The parts of ``graphs`` that ``path`` imports: ``cli``, ``threads``, ``registry``, a team."""
    return {name.split(".")[1] for name in dotted_imports(path) if name.startswith("graphs.")}


TEAM_PACKAGES = sorted(name for name in TEAMS if (ROOT / "graphs" / name).is_dir())


def test_imports_point_down_only():
    for path in modules("tools"):
        assert not imported(path) & {"agents", "graphs", "benchmarks", "tests"}, path
    for path in modules("agents"):
        assert not imported(path) & {"graphs", "benchmarks", "tests"}, path
    for path in modules("graphs"):
        assert not imported(path) & {"benchmarks", "tests"}, path


def test_common_and_the_thread_service_never_import_the_cli_or_a_team():
    for path in modules("graphs/common"):
        assert not graphs_parts(path) & {"cli", "threads", "registry", *TEAMS}, path
    for path in modules("graphs/threads"):
        assert not graphs_parts(path) & {"cli", *TEAMS}, path


def test_teams_never_import_the_cli_nor_each_other_but_through_the_registry():
    for name in TEAM_PACKAGES:
        runs_teams = TEAMS[name].members is not no_members
        for path in modules(f"graphs/{name}"):
            parts = graphs_parts(path)
            assert not parts & {"cli", "threads", *(set(TEAMS) - {name})}, path
            assert runs_teams or "registry" not in parts, path


COMMANDS_OF_TEAMS = {
    "write.py": {"writer"},
    "ask.py": {"research", "react"},
    "run.py": {"team"},
    "support.py": {"support"},
    "support_eval.py": {"support"},
    "support_prompts.py": {"support"},
    "compose.py": {"compose"},
    "evaluate.py": {"research", "react", "support"},
    "commands.py": {"writer", "support", "compose"},
}
"""The commands that exist for some teams, and the teams each may name."""


def docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def name_of(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def looked_up(node: ast.AST) -> list[ast.AST]:
    """What ``node`` compares, or looks a team up by: ``x == "a"``, ``team_spec("a")``, ``TEAMS["a"]``."""
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.Call) and name_of(node.func) in ("team_spec", "get"):
        return list(node.args)
    if isinstance(node, ast.Subscript) and name_of(node.value) == "TEAMS":
        return [node.slice]
    return []


def teams_named(path: Path) -> set[str]:
    """The registered teams ``path`` names: by importing their package, by a string naming
    one (``team``, an everyday word, only when compared or looked up), not in docstrings."""
    tree = ast.parse(path.read_text())
    named = graphs_parts(path) & set(TEAMS)
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            named |= set(re.findall(r"\w+", node.value.lower())) & (set(TEAMS) - {"team"})
        named |= {
            c.value for c in looked_up(node) if isinstance(c, ast.Constant) and c.value in TEAMS
        }
    return named


def test_no_team_is_named_in_the_clis_shared_machinery():
    for path in [*modules("graphs/cli"), *modules("graphs/threads")]:
        allowed = COMMANDS_OF_TEAMS.get(path.name, set()) if path.parent.name == "cli" else set()
        assert teams_named(path) <= allowed, (path.relative_to(ROOT), teams_named(path) - allowed)


def test_no_function_is_longer_than_a_page():
    long = []
    for package in ("graphs", "agents", "tools", "benchmarks"):
        for path in modules(package):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        long.append(f"{path.relative_to(ROOT)}:{node.name} ({lines} lines)")
    assert long == []


def test_langgraph_json_serves_every_registered_team():
    on_disk = json.loads((ROOT / "langgraph.json").read_text())
    assert on_disk == langgraph_config(), "run `python -m graphs.registry`"
    for spec in TEAMS.values():
        path, _, attribute = spec.graph_path.partition(":")
        module = importlib.import_module(
            path.removeprefix("./").removesuffix(".py").replace("/", ".")
        )
        graph = getattr(module, attribute)({"configurable": {}})
        assert graph.name == spec.name, "each entry is a factory of the team's graph"


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
