"""Every command that runs a team: limits, threads, resume of the thread's own team, listings."""

import json
import os
import subprocess
import sys

import pytest

import graphs.react
import graphs.research
import graphs.threads.jobs as jobs
import graphs.writer
from graphs.cli import main
from tests.fakes import ScriptedChatModel, make_instant_search, scripted, swap_build
from tests.unit_tests.research_script import ANSWER, DECIDER, FINAL, decision, echo_answer
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.built_in_tools import Toolbox


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([make_instant_search()], []))
    return tmp_path


def use_writer(monkeypatch, models):
    swap_build(monkeypatch, "writer", lambda _m, **kw: graphs.writer.build_graph(models, **kw))
    return models


def endless_writers():
    return {
        "manager": ScriptedChatModel(script=[PLAN], cycle=True),
        "writer": ScriptedChatModel(script=["draft text"], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False, 2, "again")], cycle=True),
    }


def run_json(argv, capsys, code=0):
    assert main(argv) == code
    return json.loads(capsys.readouterr().out)


def test_write_stops_at_its_call_limit_and_usage_equals_the_calls_made(home, monkeypatch, capsys):
    models = use_writer(monkeypatch, endless_writers())
    report = run_json(["write", "t", "--max-revisions", "9", "--max-calls", "5", "--json"], capsys)
    made = sum(len(m.calls) for m in models.values())
    assert made == 5 == sum(u["calls"] for u in report["usage"].values())
    assert report["stop_reason"] == "max_calls" and report["text"] == "draft text"
    assert report["budget_stop"]["message"] == "The run reached its limit of 5 model calls."


def test_ask_stops_at_its_token_limit(home, monkeypatch, capsys):
    step = json.dumps({"thought": "t", "action": "search", "action_input": "more"})
    counter = iter(range(100))
    model = ScriptedChatModel(
        script=[lambda _m: step.replace("more", f"more {next(counter)}")], cycle=True
    )
    swap_build(
        monkeypatch, "react", lambda _m, **kw: graphs.react.build_graph({"agent": model}, **kw)
    )
    argv = ["ask", "--team", "react", "q", "--max-steps", "50", "--max-tokens-total", "1000"]
    report = run_json([*argv, "--json"], capsys)
    assert report["stop_reason"] == "max_tokens_total"
    assert report["usage"]["agent"]["calls"] == len(model.calls)
    used = report["usage"]["agent"]["input_tokens"] + report["usage"]["agent"]["output_tokens"]
    assert 0 < used <= 1000 + 10  # at most one reply (10 words) past the limit


def test_resume_of_a_writer_thread_prints_the_writer_result(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN, verdict(True)),
            "writer": scripted(draft(1)),
            "critic": scripted(critique(True, 9)),
        },
    )
    first = run_json(["write", "bees", "--thread", "W1", "--json"], capsys)
    resumed = run_json(["resume", "--thread", "W1", "--json"], capsys)
    assert resumed["text"] == first["text"] == draft(1)
    assert resumed["stop_reason"] == "approved" and resumed["thread"] == "W1"
    assert "route" not in resumed


def test_resume_takes_the_thread_as_threads_and_wait_do_or_with_thread(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN, verdict(True)),
            "writer": scripted(KeyboardInterrupt(), draft(1)),
            "critic": scripted(critique(True, 9)),
        },
    )
    assert main(["write", "bees", "--thread", "P1", "-q"]) == 130
    assert main(["resume", "P1", "--thread", "P2"]) == 1
    assert main(["resume"]) == 2
    said = capsys.readouterr().err
    assert "Two threads given ('P1' and --thread 'P2'): give one." in said
    assert "resume needs a thread: `teamgraph resume THREAD`" in said
    resumed = run_json(["resume", "P1", "--json"], capsys)
    assert resumed["thread"] == "P1" and resumed["text"] == draft(1)


def test_an_interrupted_writer_run_is_finished_by_resume(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN),
            "writer": scripted(KeyboardInterrupt()),
            "critic": scripted(),
        },
    )
    assert main(["write", "bees", "--thread", "W2", "-q"]) == 130
    capsys.readouterr()
    models = use_writer(
        monkeypatch,
        {
            "manager": scripted(verdict(True)),
            "writer": scripted(draft(2)),
            "critic": scripted(critique(True, 9)),
        },
    )
    resumed = run_json(["resume", "--thread", "W2", "--json"], capsys)
    assert resumed["text"] == draft(2) and resumed["drafts"] == [draft(2)]
    assert all(m.exhausted for m in models.values())
    assert resumed["usage"]["manager"]["calls"] == 2


def test_resume_of_a_research_thread_prints_the_research_result(home, monkeypatch, capsys):
    from tests.fakes import RoutedChatModel

    model = RoutedChatModel(
        rules=[
            (DECIDER, decision("A")),
            (ANSWER, lambda p: echo_answer(p) + " [1]"),
            (FINAL, "The answer [1]."),
        ]
    )
    swap_build(
        monkeypatch,
        "research",
        lambda _m, **kw: graphs.research.build_graph(
            dict.fromkeys(graphs.research.ROLES, model), **kw
        ),
    )
    first = run_json(["ask", "q?", "--thread", "R1", "--json", "-q"], capsys)
    resumed = run_json(["resume", "--thread", "R1", "--json"], capsys)
    assert resumed["answer"] == first["answer"] == "The answer [1]."
    assert resumed["team"] == "research" and resumed["citations"][0]["number"] == 1


def test_the_research_view_says_each_task_done_as_it_ends_not_when_the_round_does(
    home, monkeypatch, capsys
):
    import json as json_module

    from tests.fakes import RoutedChatModel
    from tests.unit_tests.research_script import (
        CHOOSER,
        PLANNER,
        QUERIES,
        REFLECT,
        plan,
        subtask,
        sufficient,
    )

    model = RoutedChatModel(
        rules=[
            (DECIDER, decision("B")),
            (PLANNER, plan((1, "alpha", []), (2, "beta", [1]))),
            (CHOOSER, json_module.dumps({"reason": "r", "tool": "search"})),
            (QUERIES, lambda p: json_module.dumps({"queries": [subtask(p)]})),
            (ANSWER, echo_answer),
            (REFLECT, sufficient(True)),
            (FINAL, "Final [1]."),
        ]
    )
    swap_build(
        monkeypatch,
        "research",
        lambda _m, **kw: graphs.research.build_graph(
            dict.fromkeys(graphs.research.ROLES, model), tool_policy="model", **kw
        ),
    )
    assert main(["ask", "Two steps?"]) == 0
    said = [
        line.split("] ", 1)[1].split(":")[0]
        for line in capsys.readouterr().err.splitlines()
        if "] task " in line
    ]
    assert said == ["task 1 running", "task 1 done", "task 2 running", "task 2 done"]


def test_threads_lists_on_stdout_and_as_json(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN, verdict(True)),
            "writer": scripted(draft(1)),
            "critic": scripted(critique(True, 9)),
        },
    )
    assert main(["write", "why bees matter", "--thread", "W3", "-q"]) == 0
    capsys.readouterr()
    listing = run_json(["threads", "--json"], capsys)
    assert [(t["thread"], t["team"], t["status"]) for t in listing] == [("W3", "writer", "done")]
    assert listing[0]["request"] == "why bees matter" and listing[0]["updated"]
    assert main(["threads"]) == 0
    out, err = capsys.readouterr()
    assert "W3" in out and err == ""
    history = run_json(["threads", "W3", "--json"], capsys)
    assert [row["node"] for row in history] == [
        "manager_plan",
        "writer",
        "critic",
        "manager_review",
        "approve_draft",
    ]
    assert history[1] == {
        "step": 1,
        "team": "writer",
        "node": "writer",
        "wrote": f"drafts: a draft of {len(draft(1).split())} words",
    }
    assert main(["threads", "W3"]) == 0
    assert "writer · critic" in capsys.readouterr().out


def test_help_names_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "3    waiting for a person" in text and "130  interrupted" in text


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    command = [sys.executable, "-m", "graphs.cli", "graphs"]
    env = {**os.environ, "TEAMGRAPH_HOME": str(tmp_path)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert errors == "", errors


def happy_writers():
    return {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1)),
        "critic": scripted(critique(True, 9)),
    }


def test_a_full_disk_at_the_end_prints_the_result_and_says_how_to_resume(home, monkeypatch, capsys):
    import sqlite3

    import graphs.threads.jobs as jobs_module

    use_writer(monkeypatch, happy_writers())
    real_open = jobs_module.open_checkpointer

    def filling_up():
        saver = real_open()
        real_put = saver.put

        def put(config, checkpoint, metadata, new_versions):
            if "final_text" in checkpoint["channel_values"]:
                raise sqlite3.OperationalError("database or disk is full")
            return real_put(config, checkpoint, metadata, new_versions)

        saver.put = put
        return saver

    monkeypatch.setattr(jobs_module, "open_checkpointer", filling_up)
    assert main(["write", "bees", "--thread", "D1"]) == 1
    out, err = capsys.readouterr()
    assert out.strip().startswith(draft(1))
    assert "disk is full" in err and "teamgraph resume --thread D1" in err
    assert "Traceback" not in err


def test_a_damaged_checkpoint_file_is_refused_before_anything_is_written(home, monkeypatch, capsys):
    import sqlite3

    use_writer(monkeypatch, happy_writers())
    assert main(["write", "bees", "--thread", "G1", "-q"]) == 0
    capsys.readouterr()
    path = home / "home" / "checkpoints.sqlite"
    writer = sqlite3.connect(str(path))
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 4
    page = 4096
    for start in range(page * 2, len(data), page):
        data[start + 8 : start + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    assert main(["threads"]) == 1
    err = capsys.readouterr().err
    assert "Cannot use the checkpoint file" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_a_read_only_home_is_reported_as_read_only(tmp_path, monkeypatch, capsys):
    import os

    import tools.kernel.home as home_module

    home = tmp_path / "ro"
    home.mkdir()
    os.chmod(home, 0o500)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(home))
    real_access = os.access

    def access(path, mode):  # as a user other than root sees the folder
        return False if mode == os.W_OK and str(path) == str(home) else real_access(path, mode)

    monkeypatch.setattr(home_module.os, "access", access)
    try:
        assert main(["threads"]) == 1
    finally:
        os.chmod(home, 0o700)
    err = capsys.readouterr().err
    assert "is read-only" in err and "corrupt" not in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["run", "x", "--max-calls", "0"], "--max-calls must be 1 or more (got 0)"),
        (["write", "x", "--max-calls", "-5"], "--max-calls must be 1 or more (got -5)"),
        (["ask", "x", "--max-tokens-total", "-1"], "--max-tokens-total must be 1 or more (got -1)"),
        (["resume", "--thread", "t", "--max-calls", "-5"], "--max-calls must be 1 or more"),
    ],
)
def test_invalid_limits_name_the_flag_before_any_thread_is_named(home, capsys, argv, said):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert said in err and "resume --thread" not in err and "max_calls" not in err


@pytest.mark.parametrize("thread", [["--thread", "J1"], []])
def test_a_failed_run_with_json_prints_the_error_the_thread_and_the_usage_so_far(
    home, monkeypatch, capsys, thread
):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN),
            "writer": scripted(ValueError("the provider is down")),
            "critic": scripted(),
        },
    )
    report = run_json(["write", "bees", *thread, "--json"], capsys, code=1)
    assert "The writer model failed: ValueError: the provider is down" in report["error"]
    assert report["stop_reason"] == "error" and report["thread"] == (thread[1] if thread else None)
    assert report["usage"]["manager"]["calls"] == 1 and report["usage"]["writer"]["calls"] == 1


def test_a_run_failing_after_finished_steps_says_where_they_are_kept_and_resume_goes_on(
    home, monkeypatch, capsys
):
    models = use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN, verdict(True)),
            "writer": scripted(draft(1)),
            "critic": scripted(ValueError("the provider is down."), critique(True, 9)),
        },
    )
    assert main(["write", "bees", "--thread", "K1", "-q"]) == 1
    said = capsys.readouterr().err
    assert "ValueError: the provider is down. Check" in said
    assert (
        "The run is kept on thread K1: `teamgraph resume --thread K1` goes on from its failed "
        "step (critic) (add `--model ROLE=MODEL` for another model)."
    ) in " ".join(said.split())
    assert main(["resume", "--thread", "K1", "-q"]) == 0
    assert [len(models[role].calls) for role in ("manager", "writer", "critic")] == [2, 1, 2]


def test_a_failed_thread_is_listed_with_its_error_message_and_its_steps_end_with_resume(
    home, monkeypatch, capsys
):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN),
            "writer": scripted(draft(1)),
            "critic": scripted(ValueError("the provider is down")),
        },
    )
    assert main(["write", "bees", "--thread", "F1", "-q"]) == 1
    capsys.readouterr()
    message = (
        "The critic model failed: ValueError: the provider is down. Check the model name, API "
        "key and network, or choose another model for this role."
    )
    assert [row["error"] for row in run_json(["threads", "--json"], capsys)] == [message]
    assert main(["threads", "F1"]) == 0
    steps = capsys.readouterr().out.splitlines()
    assert "writer · writer" in "\n".join(steps)
    assert (
        steps[-1] == f"failed: {message[:-1]}. `teamgraph resume --thread F1` goes on from there."
    )


def test_wait_says_how_a_thread_failed_and_a_missing_thread_in_json_too(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {
            "manager": scripted(PLAN),
            "writer": scripted(ValueError("the provider is down")),
            "critic": scripted(),
        },
    )
    assert main(["write", "bees", "--thread", "F2", "-q"]) == 1
    capsys.readouterr()
    assert main(["wait", "F2"]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert said == (
        "thread F2 failed: The writer model failed: ValueError: the provider is down. Check the "
        "model name, API key and network, or choose another model for this role. `teamgraph "
        "resume F2` runs it again from the step that failed."
    )
    report = run_json(["wait", "nope", "--json"], capsys, code=1)
    assert report["error"].startswith("No thread 'nope'") and report["thread"] == "nope"


def test_a_run_failing_in_its_first_step_with_json_still_counts_the_failed_call(
    home, monkeypatch, capsys
):
    use_writer(
        monkeypatch,
        {"manager": scripted(ValueError("bad key")), "writer": scripted(), "critic": scripted()},
    )
    report = run_json(["write", "bees", "--thread", "J2", "--json"], capsys, code=1)
    assert "The manager model failed" in report["error"] and report["thread"] == "J2"
    assert report["usage"]["manager"]["calls"] == 1


def test_threads_of_a_thread_without_a_finished_step_says_so(home, monkeypatch, capsys):
    use_writer(
        monkeypatch,
        {"manager": scripted(ValueError("bad key")), "writer": scripted(), "critic": scripted()},
    )
    assert main(["write", "bees", "--thread", "E1", "-q"]) == 1
    capsys.readouterr()
    assert main(["threads", "E1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("thread E1 (writer) has no finished step yet: failed (")
    assert "The manager model failed" in out and "teamgraph resume --thread E1" in out
    assert run_json(["threads", "E1", "--json"], capsys) == []


def test_the_last_line_counts_the_whole_request_across_resumes(home, monkeypatch, capsys):
    import time

    from tests.unit_tests.team_cli_entry import scripted_team_build

    monkeypatch.setenv("TEAM_SCRIPT_ROUTE", "writer")
    swap_build(monkeypatch, "team", scripted_team_build())
    assert main(["run", "bees", "--thread", "L1", "-q"]) == 3
    capsys.readouterr()
    time.sleep(1.5)
    assert main(["resume", "--thread", "L1", "--answer", "approve"]) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "s this time, " in last and "s since the request" in last
    since = float(last.split("this time, ")[1].split("s since")[0])
    assert since >= 1.5
    assert main(["resume", "--thread", "L1"]) == 0
    finished = capsys.readouterr().err.strip().splitlines()[-1]
    assert finished.endswith(f"thread L1, {since:.1f}s")


def test_a_run_refused_before_it_starts_with_json_still_prints_one_object(
    home, monkeypatch, capsys
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    argv = ["write", "bees", "--model", "openai:gpt-4o-mini", "--thread", "K1", "--json"]
    report = run_json(argv, capsys, code=1)
    assert "OPENAI_API_KEY" in report["error"] and report["stop_reason"] == "error"
    assert report["thread"] == "K1" and report["usage"] == {}
