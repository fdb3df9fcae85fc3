"""``teamgraph run --team-file``: live progress, --json per role, threads and resume by the
team's name, models per role from flags and env, kill -9 and resume, --detach and wait."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agents.llm import models
from graphs import registry
from graphs.cli import main
from tests.unit_tests.team_file_script import EXAMPLES, SOURCED, routed, write_team

ROOT = Path(__file__).resolve().parents[2]
ENTRY = [sys.executable, "-m", "tests.unit_tests.team_file_cli_entry"]
CHAIN = """\
    name: chain
    shape: sequential
    roles:
      - name: first
        role: You are first.
      - name: second
        role: You are slow second.
      - name: third
        role: You are third.
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh TEAMGRAPH_HOME, a key for scripted openai: settings, and no team left over."""
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    monkeypatch.setattr(registry, "TEAMS", dict(registry.TEAMS))
    return tmp_path / "home"


@pytest.fixture
def model(monkeypatch):
    """Every model setting loads one scripted model, answering each role by its words."""
    scripted = routed(("You are first", "FIRST"), ("second", "SECOND [1]"), ("third", "THIRD"))
    loaded: list[str] = []

    def load(setting):
        loaded.append(str(setting))
        return scripted

    monkeypatch.setattr(models, "load_chat_model", load)
    scripted.__dict__["loaded"] = loaded
    return scripted


def test_run_prints_every_roles_work_usage_and_threads_and_resume_know_the_team(
    home, model, tmp_path, capsys
):
    path = write_team(tmp_path, "chain", CHAIN)
    argv = ["run", "--team-file", str(path), "Kettles", "--thread", "T1", "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert [o["role"] for o in report["outputs"]] == ["first", "second", "third"]
    assert (report["team"], report["text"], report["stop_reason"]) == ("chain", "THIRD", "done")
    assert report["thread"] == "T1" and report["citations"] == []
    assert {row["role"]: row["calls"] for row in report["usage"]} == dict.fromkeys(
        ("first", "second", "third"), 1
    )
    assert main(["threads", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["team"], row["request"], row["status"]) == ("chain", "Kettles", "done")
    assert main(["threads", "T1", "--json"]) == 0
    nodes = [r["node"] for r in json.loads(capsys.readouterr().out)]
    assert nodes == ["start", "first", "second", "third", "finish"]
    assert main(["resume", "--thread", "T1"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "THIRD" and "every role did its part" in err
    assert len(model.calls) == 3, "resume of a finished thread calls no model"


def test_the_live_view_names_each_role_at_work(home, model, tmp_path, capsys):
    path = write_team(tmp_path, "chain", CHAIN)
    assert main(["run", "--team-file", str(path), "Kettles"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "THIRD"
    for said in ("first wrote 1 word", "second wrote", "third wrote"):
        assert said in err, err


def test_models_per_role_come_from_flags_then_env_then_the_file(
    home, model, tmp_path, monkeypatch, capsys
):
    text = CHAIN.replace("role: You are third.", "role: You are third.\n        model: openai:c")
    text = text.replace("slow second.", "slow second.\n        model: openai:b")
    path = write_team(tmp_path, "chain", text)
    monkeypatch.setenv("TEAMGRAPH_SECOND_MODEL", "openai:from-env")
    argv = ["run", "--team-file", str(path), "K", "--model", "first=openai:from-flag", "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["models"] == {
        "first": "openai:from-flag",
        "second": "openai:from-env",
        "third": "openai:c",
    }
    assert main(["run", "--team-file", str(path), "K", "--model", "fourth=local"]) == 1
    assert "no role 'fourth' here; the roles are first, second, third" in capsys.readouterr().err
    assert main(["run", "--team-file", str(path), "K", "--model", "secnd=local"]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert "no role 'secnd' here (did you mean second?); the roles are first," in said


def test_every_example_runs_on_a_scripted_model(home, monkeypatch, tmp_path, capsys):
    from tests.fakes import make_instant_search
    from tests.unit_tests import team_cli_entry
    from tests.unit_tests.team_file_script import critique, pick, vote
    from tools.built_in_tools import Toolbox

    monkeypatch.setattr(
        "graphs.teamfile.builder.named_toolbox", lambda names: Toolbox([make_instant_search()])
    )
    monkeypatch.setattr("tools.toolbox.configured_tools", lambda: [make_instant_search()])
    everyone = team_cli_entry.model()
    everyone.rules = [
        ("You are the Manager. Plan", pick("writer")),
        ("You are the Critic.", "Fix the ending."),
        ("You are a demanding critic of short pieces", critique(True)),
        ("exact answer", vote("42")),
        ("You choose the answer", '{"reason": "r", "choice": 1}'),
        *everyone.rules,
        ("", "Some work [1]."),
    ]
    monkeypatch.setattr(models, "load_chat_model", lambda setting: everyone)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        argv = ["run", "--team-file", str(path), "AI and music", "--auto-approve", "--json"]
        argv += ["--model", "local"]
        assert main(argv) == 0, path.name
        report = json.loads(capsys.readouterr().out)
        assert report["text"] and report["stop_reason"], path.name
        calls = sum(row["calls"] for row in report["usage"])
        assert report["outputs"] and calls > 0, path.name


def cli(home, *args, **env):
    return subprocess.Popen(
        [*ENTRY, *args],
        cwd=ROOT,
        env={
            **os.environ,
            "TEAMGRAPH_HOME": str(home),
            "TEAMGRAPH_MODEL": "openai:scripted",
            "OPENAI_API_KEY": "test",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def lines_of(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def wait_until(check, timeout=60):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_run_killed_mid_way_resumes_without_redoing_a_finished_role(home, tmp_path):
    path = write_team(tmp_path, "chain", CHAIN)
    calls = tmp_path / "calls.log"
    running = cli(
        home,
        "run",
        "--team-file",
        str(path),
        "K",
        "--thread",
        "K9",
        TEAM_FILE_CALLS=str(calls),
        TEAM_FILE_SLOW_S="60",
    )
    try:
        wait_until(lambda: len(lines_of(calls)) >= 2)
    finally:
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=30)
    assert lines_of(calls) == ["You are first.", "You are slow second."]
    done = cli(home, "resume", "--thread", "K9", "--json", TEAM_FILE_CALLS=str(calls))
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert json.loads(out)["text"] == "Work of: You are third."
    assert lines_of(calls) == ["You are first.", "You are slow second."] * 1 + [
        "You are slow second.",
        "You are third.",
    ]


def test_detach_prints_the_thread_threads_shows_it_running_and_wait_prints_the_result(
    home, tmp_path
):
    path = write_team(tmp_path, "chain", CHAIN)
    calls = tmp_path / "calls.log"
    slow = {"TEAM_FILE_CALLS": str(calls), "TEAM_FILE_SLOW_S": "10"}
    started = cli(home, "run", "--team-file", str(path), "K", "--detach", **slow)
    out, err = started.communicate(timeout=120)
    assert started.returncode == 0, err
    thread = out.strip()
    assert thread and "teamgraph wait" in err
    listed = cli(home, "threads", "--json", **slow)
    rows = json.loads(listed.communicate(timeout=120)[0])
    assert [(r["thread"], r["status"]) for r in rows] == [(thread, "running")]
    waited = cli(home, "wait", thread, "--json", **slow)
    out, err = waited.communicate(timeout=120)
    assert waited.returncode == 0, err
    assert json.loads(out)["text"] == "Work of: You are third."
    listed = cli(home, "threads", "--json", **slow)
    assert json.loads(listed.communicate(timeout=120)[0])[0]["status"] == "done"
    assert len(lines_of(calls)) == 3


def test_a_roles_env_var_wins_over_the_files_model_line_and_check_says_where_each_comes_from(
    home, monkeypatch, capsys
):
    path = EXAMPLES / "music-industry.yaml"
    monkeypatch.setenv("TEAMGRAPH_WRITER_MODEL", "local")
    assert main(["check", str(path), "--json"]) == 0
    rows = {row["role"]: row for row in json.loads(capsys.readouterr().out)["roles"]}
    assert (rows["writer"]["model"], rows["writer"]["source"]) == (
        "local",
        "env TEAMGRAPH_WRITER_MODEL",
    )
    assert (rows["manager"]["model"], rows["manager"]["source"]) == ("openai:gpt-4o-mini", "file")
    assert "google_genai" in rows["critic"]["model"]


def test_check_warns_of_a_team_roles_model_and_of_tools_that_will_be_left_out(
    home, monkeypatch, tmp_path, capsys
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    path = tmp_path / "probe.yaml"
    path.write_text(
        "name: probe\nshape: sequential\nroles:\n"
        "  - name: finder\n    role: find facts\n    tools: [web_search, calculator]\n"
        "  - name: digger\n    team: research\n    model: openai:gpt-4o-mini\n"
    )
    assert main(["check", str(path), "--json"]) == 0
    rows = {row["role"]: row for row in json.loads(capsys.readouterr().out)["roles"]}
    assert rows["finder"]["warning"] == "web_search is unavailable: set TAVILY_API_KEY."
    assert rows["digger"]["warning"].startswith(
        "Model 'openai:gpt-4o-mini' needs an API key: set OPENAI_API_KEY"
    )
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("TAVILY_API_KEY", "k")
    assert main(["check", str(path), "--json"]) == 0
    rows = {row["role"]: row for row in json.loads(capsys.readouterr().out)["roles"]}
    assert "warning" not in rows["finder"] and "warning" not in rows["digger"]


def test_a_built_in_team_playing_a_role_stops_for_approval_and_resume_answers_it(
    home, monkeypatch, tmp_path, capsys
):
    from tests.unit_tests.test_team_file_shapes import WRITER_TEAM

    scripted = routed(*WRITER_TEAM, ("You are the editor", "EDITED"))
    monkeypatch.setattr(models, "load_chat_model", lambda setting: scripted)
    path = write_team(
        tmp_path,
        "approved",
        """\
        name: approved
        shape: sequential
        roles:
          - name: draft
            team: writer
          - name: editor
            role: You are the editor.
        """,
    )
    argv = ["run", "--team-file", str(path), "Bees", "--thread", "A1", "--model", "openai:x"]
    assert main(argv) == 3
    assert "teamgraph resume --thread A1 --answer" in capsys.readouterr().err
    assert main(["threads", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "waiting"
    assert main(["wait", "A1"]) == 3
    assert "teamgraph resume --thread A1 --answer" in capsys.readouterr().err
    assert main(["resume", "--thread", "A1", "--answer", "approve", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["text"] == "EDITED" and report["outputs"][0]["text"] == "WRITER-TEAM-DRAFT"


def test_each_step_of_a_role_with_tools_is_its_own_activity_so_a_tool_line_times_the_tool(
    home, tmp_path, monkeypatch
):
    from graphs.common.live import ProgressView
    from tests.fakes import make_instant_search
    from tools.built_in_tools import Toolbox

    monkeypatch.setattr(
        "graphs.teamfile.builder.named_toolbox", lambda names: Toolbox([make_instant_search()])
    )
    step = json.dumps({"thought": "more", "action": "search", "action_input": "kettle prices"})
    scripted = routed(
        ("decide on one action", step),
        ("You answer questions from the numbered sources", "Kettles boil water [1]."),
        ("You are the writer", "A brief: kettles boil water [1]."),
    )
    monkeypatch.setattr(models, "load_chat_model", lambda setting: scripted)
    said: list[str] = []
    begin, done = ProgressView.begin, ProgressView.done
    monkeypatch.setattr(
        ProgressView, "begin", lambda view, what: (said.append(f"> {what}"), begin(view, what))
    )
    monkeypatch.setattr(
        ProgressView,
        "done",
        lambda view, line, *since: (said.append(f"✓ {line}"), done(view, line, *since)),
    )
    path = write_team(tmp_path, "sourced", SOURCED)
    assert main(["run", "--team-file", str(path), "Kettles"]) == 0
    lines = [line.split(":")[0] for line in said]
    assert lines == [
        "> researcher is working",
        "> researcher is thinking",
        "✓ Searching search with the question",
        "> researcher is calling its tools",
        "✓ search",
        "> researcher is thinking",
        "✓ researcher chose search",
        "> researcher is calling its tools",
        "✓ search",
        "> researcher is thinking",
        "✓ researcher asked for search again with the same input",
        "> researcher is writing its answer",
        "✓ researcher wrote 4 words, 1 source",
        "> writer is working",
        "✓ writer wrote 6 words, 1 source",
        "> Citing sources",
    ], said


def test_a_team_files_answer_no_source_backs_says_so_and_a_team_without_tools_does_not(
    home, tmp_path, monkeypatch, capsys
):
    from langchain_core.tools import tool

    from tools.built_in_tools import Toolbox
    from tools.tool_addressing import mark_retrieval

    @tool(response_format="content_and_artifact")
    def search(query: str) -> tuple[str, list[dict[str, str]]]:
        """Search the web for facts."""
        return "No results.", []

    monkeypatch.setattr(
        "graphs.teamfile.builder.named_toolbox", lambda names: Toolbox([mark_retrieval(search)])
    )
    answer = json.dumps({"thought": "done", "action": "final_answer", "action_input": "Tea."})
    scripted = routed(
        ("decide on one action", answer),
        ("You answer questions from the numbered sources", "Kettles boil tea."),
        ("You are the writer", "Kettles boil tea."),
        ("You are first", "FIRST"),
        ("second", "SECOND"),
        ("third", "THIRD"),
    )
    monkeypatch.setattr(models, "load_chat_model", lambda setting: scripted)
    sourced = write_team(tmp_path, "sourced", SOURCED)
    assert main(["run", "--team-file", str(sourced), "Kettles", "-q"]) == 0
    assert (
        capsys.readouterr()
        .out.rstrip()
        .endswith(
            "Kettles boil tea.\n\nSources: none. No source backs this answer: it is the model's own."
        )
    )
    chain = write_team(tmp_path, "chain", CHAIN)
    assert main(["run", "--team-file", str(chain), "Kettles", "-q"]) == 0
    out = capsys.readouterr().out
    assert "THIRD" in out and "Sources" not in out, out


def test_a_tool_role_on_an_embedded_model_searches_with_the_request_first(
    home, tmp_path, monkeypatch, capsys
):
    from tests.fakes import embedded_model, make_instant_search
    from tools.built_in_tools import Toolbox

    monkeypatch.setattr(
        "graphs.teamfile.builder.named_toolbox", lambda names: Toolbox([make_instant_search()])
    )

    def reply(prompt: str) -> str:
        sourced = "Facts about Kettles" in prompt or "boil water [1]" in prompt
        return "Kettles boil water [1]." if sourced else "From memory."

    model = embedded_model(reply)
    monkeypatch.setattr(models, "load_chat_model", lambda setting: model)
    path = write_team(tmp_path, "sourced", SOURCED)
    assert main(["run", "--team-file", str(path), "Kettles", "--json", "-q"]) == 0
    report = json.loads(capsys.readouterr().out)
    researcher = next(o for o in report["outputs"] if o["role"] == "researcher")
    assert researcher["text"] == "Kettles boil water [1]."
    assert [c["title"] for c in report["citations"]] == ["Result for Kettles"]


def test_ctrl_c_while_waiting_leaves_the_run_going_and_says_how_to_wait_again(
    home, monkeypatch, capsys
):
    def interrupted(thread, console, quiet):
        raise KeyboardInterrupt

    monkeypatch.setattr("graphs.threads.locks.is_running", lambda thread: True)
    monkeypatch.setattr("graphs.cli.wait._wait_while_running", interrupted)
    assert main(["wait", "T1"]) == 130
    said = capsys.readouterr().err
    assert "the run goes on in its own process; `teamgraph wait T1` waits again" in said


INNER = """\
    name: inner
    shape: reflection
    roles:
      - name: worker
        role: You work.
      - name: reviewer
        role: You review.
"""
OUTER = """\
    name: outer
    shape: sequential
    roles:
      - name: first
        role: You are first.
      - name: loop
        team_file: inner.yaml
"""
"""A plain role, then a team file (a reflection loop) playing a role."""


def test_the_usage_table_names_the_model_of_each_role_of_a_team_playing_a_role(
    home, monkeypatch, tmp_path, capsys
):
    from tests.unit_tests.team_file_script import critique

    write_team(tmp_path, "inner", INNER)
    path = write_team(tmp_path, "outer", OUTER)
    scripted = routed(("You review", critique(True)), ("You work", "WORK"), ("", "FIRST"))
    monkeypatch.setattr(models, "load_chat_model", lambda setting: scripted)
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["run", "--team-file", str(path), "Kettles", "--model", "openai:scripted"]) == 0
    rows = [line for line in capsys.readouterr().err.splitlines() if line.count("│") > 5]
    roles = {row.split("│")[1].strip(): row.split("│")[2].strip() for row in rows}
    assert roles == dict.fromkeys(("first", "loop/reviewer", "loop/worker"), "openai:scripted")


def test_the_history_of_a_run_failed_inside_a_team_playing_a_role_shows_its_finished_steps(
    home, monkeypatch, tmp_path, capsys
):
    from tests.unit_tests.team_file_script import critique

    write_team(tmp_path, "inner", INNER)
    path = write_team(tmp_path, "outer", OUTER)
    broken = ValueError("the reviewer's server went away")
    scripted = routed(("You review", broken), ("You work", "WORK"), ("", "FIRST"))
    monkeypatch.setattr(models, "load_chat_model", lambda setting: scripted)
    argv = ["run", "--team-file", str(path), "Kettles", "--model", "openai:x", "--thread", "F1"]
    assert main(argv) == 1
    capsys.readouterr()
    assert main(["threads", "F1", "--json"]) == 0
    steps = [(row["team"], row["node"]) for row in json.loads(capsys.readouterr().out)]
    assert steps == [
        ("outer", "start"),
        ("outer", "first"),
        ("outer/loop", "start"),
        ("outer/loop", "worker"),
    ]
    scripted.rules[0] = ("You review", critique(True))
    assert main(["resume", "F1"]) == 0
    assert sum("You work" in call for call in scripted.calls) == 1, "the draft is not redone"


def test_a_built_in_team_playing_a_role_shows_its_own_progress(home, monkeypatch, tmp_path, capsys):
    from tests.fakes import make_instant_search
    from tests.unit_tests import team_cli_entry
    from tests.unit_tests.team_file_script import pick

    monkeypatch.setattr("tools.toolbox.configured_tools", lambda: [make_instant_search()])
    everyone = team_cli_entry.model()
    everyone.rules = [
        ("You are the Manager. Plan", pick("writer")),
        ("You are the Critic.", "Fix the ending."),
        *everyone.rules,
        ("", "Some work [1]."),
    ]
    monkeypatch.setattr(models, "load_chat_model", lambda setting: everyone)
    nested = "name: nest\nshape: sequential\nroles:\n"
    nested += "  - name: market\n    team: research\n  - name: essay\n    team: writer\n"
    path = write_team(tmp_path, "nest", nested)
    assert main(["run", "--team-file", str(path), "AI and music", "--auto-approve"]) == 0
    lines = capsys.readouterr().err.splitlines()
    expected = [
        "market: the research team is working",
        "decider: B",
        "task 2 done",
        "✓ market wrote",
        "essay: the writer team is working",
        "✓ Critic approved",
        "✓ essay wrote",
    ]
    found = [next(i for i, line in enumerate(lines) if part in line) for part in expected]
    assert found == sorted(found), lines


def test_a_thread_whose_team_file_changed_is_listed_with_its_request_and_not_resumed(
    home, model, tmp_path, capsys, monkeypatch
):
    path = write_team(tmp_path, "chain", CHAIN)
    model.rules[2] = ("third", ValueError("the third model's server went away"))
    before = dict(registry.TEAMS)
    assert main(["run", "--team-file", str(path), "Kettles", "--thread", "C1"]) == 1
    monkeypatch.setattr(registry, "TEAMS", before)  # as in a new process
    kept = path.read_text()
    path.write_text(kept.replace("You are first.", "You are the first."))
    capsys.readouterr()
    assert main(["resume", "C1"]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert f"The team file {path} (or a team file it includes) has changed since" in said
    assert said.endswith("Nothing was run.")
    assert main(["threads", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["thread"], row["status"], row["request"]) == ("C1", "unknown", "Kettles")
    assert "has changed since" in row["error"]
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["threads"]) == 0
    [listed] = [line for line in capsys.readouterr().out.splitlines() if "C1" in line]
    assert "unknown: The team file" in listed and "…" in listed and "Nothing was run" not in listed
    path.write_text(kept)
    model.rules[2] = ("third", "THIRD")
    calls = len(model.calls)
    assert main(["resume", "C1"]) == 0
    assert len(model.calls) == calls + 1, "only the third role runs again"


def test_a_run_whose_model_failed_is_resumed_with_another_model_for_that_role(
    home, monkeypatch, tmp_path, capsys
):
    path = write_team(tmp_path, "chain", CHAIN)
    broken = routed(("third", ValueError("the model was retired")), ("", "EARLIER"))
    good = routed(("", "THIRD"))
    monkeypatch.setattr(
        models, "load_chat_model", lambda setting: good if setting == "openai:good" else broken
    )
    argv = ["run", "--team-file", str(path), "Kettles", "--model", "openai:old", "--thread", "R1"]
    assert main(argv) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert (
        "goes on from its failed step (third) (add `--model ROLE=MODEL` for another model)" in said
    )
    assert main(["resume", "R1", "--model", "thrid=openai:good"]) == 1
    assert "there is no role 'thrid' here (did you mean third?)" in capsys.readouterr().err
    assert main(["resume", "R1", "--model", "third=openai:good", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["text"], report["models"]["third"]) == ("THIRD", "openai:good")
    assert len(good.calls) == 1 and sum("third" in call for call in broken.calls) == 1
