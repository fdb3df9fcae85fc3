"""Commands that run no team start without building a team or loading a provider package."""

import json
import os
import subprocess
import sys

import pytest

FRAMEWORK = (
    "langgraph.graph",
    "langgraph.pregel",
    "langchain_core.messages",
    "langchain_openai",
    "openai",
    "langchain.chat_models",
    "chromadb",
    "onnxruntime",
    "langchain_text_splitters",
    *(f"graphs.{team}.builder" for team in ("writer", "research", "react", "support", "compose")),
    "graphs.team.builder",
)

PROBE = """
import json, sys
from graphs.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
print(json.dumps(sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)))
"""


def loaded_after(argv, tmp_path, watched=FRAMEWORK):
    """Which of the ``watched`` modules a new process has loaded after ``teamgraph argv``."""
    env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(list(watched))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["write", "--help"],
        ["write"],
        ["ask", "--max-calls", "many", "Why?"],
        ["run", "--team", "nosuchteam", "x"],
        ["frobnicate"],
        ["eval", "--concurrency", "x"],
        ["resume"],
        ["new", "brief", "--shape", "brodcast"],
        ["compose", "picture.png", "--seconds", "long"],
        ["support", "--feedback", "x", "My bill"],
        ["threads", "--bogus"],
        ["wait"],
        ["check"],
        ["migrate", "--bogus"],
    ],
)
def test_help_and_argument_errors_build_no_team_and_load_no_provider(argv, tmp_path):
    loaded, _ = loaded_after(argv, tmp_path)
    assert loaded == []


def test_a_model_of_a_provider_loads_its_package_only_when_made(tmp_path):
    probe = (
        "import sys\n"
        "from agents.llm.models import model_label, split_spec\n"
        "from graphs.registry import TEAMS\n"
        "split_spec('openai:gpt-4o-mini'); model_label('openai:gpt-4o-mini')\n"
        "print('langchain_openai' in sys.modules, len(TEAMS))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "TEAMGRAPH_HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.stdout.split() == ["False", "6"], done.stderr


def test_threads_reads_the_store_without_a_model_or_provider(tmp_path):
    loaded, stderr = loaded_after(["threads"], tmp_path)
    assert not {"langchain_openai", "openai", "onnxruntime", "chromadb"} & set(loaded), stderr


def test_the_version_loads_neither_langgraph_nor_the_teams(tmp_path):
    env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path)}
    probe = PROBE.replace("json.loads(sys.argv[2])", "list(sys.modules)")
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(["--version"]), "[]"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in loaded if m == "langgraph" or m == "graphs.registry"], done.stderr


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["write", "--max-revisons", "2", "bees"],
            "teamgraph write: error: unrecognized arguments: --max-revisons bees "
            "(did you mean --max-revisions?)",
        ),
        (
            ["write", "--max-rounds", "2", "bees"],
            "teamgraph write: error: unrecognized arguments: --max-rounds bees "
            "(did you mean --max-revisions?)",
        ),
        (
            ["ask", "--max-iterations=3", "Who won?"],
            "teamgraph ask: error: unrecognized arguments: --max-iterations=3 "
            "(did you mean --max-steps?)",
        ),
        (
            ["threads", "--jsn"],
            "teamgraph threads: error: unrecognized arguments: --jsn (did you mean --json?)",
        ),
        (
            ["ask", "Who", "won?"],
            "teamgraph ask: error: unrecognized arguments: won? "
            "(a request of several words goes in quotes)",
        ),
        (
            ["tools", "extra"],
            "teamgraph tools: error: unrecognized arguments: extra "
            "(see `teamgraph tools --help` for what it takes)",
        ),
        (
            ["wait", "T1", "T2"],
            "teamgraph wait: error: unrecognized arguments: T2 "
            "(see `teamgraph wait --help` for what it takes)",
        ),
        (["wirte", "bees"], "'model') (did you mean write?)"),
        (["ask", "--team", "reserch", "Who won?"], "'react') (did you mean research?)"),
        (["new", "x", "--shape", "broadcst"], "'reflection') (did you mean broadcast?)"),
    ],
)
def test_an_unknown_argument_is_refused_by_its_command_with_the_closest_flag(
    argv, said, capsys, tmp_path, monkeypatch
):
    from graphs.cli import main

    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    with pytest.raises(SystemExit) as ended:
        main(argv)
    assert ended.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "own"),
    [
        (["write", "--max-revisions", "many", "bees"], "graphs.cli.write"),
        (["threads"], "graphs.cli.threads"),
    ],
)
def test_a_command_loads_no_other_commands_module(argv, own, tmp_path):
    from graphs.cli.commands import COMMANDS

    modules = [f"graphs.cli.{module}" for module, _ in COMMANDS.values()]
    loaded, stderr = loaded_after(argv, tmp_path, modules)
    assert loaded == [own], stderr
