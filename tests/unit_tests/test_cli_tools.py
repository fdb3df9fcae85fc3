import json

import pytest

import graphs.react
import graphs.threads.jobs as jobs
from graphs.cli import main
from tests.fakes import scripted, swap_build
from tests.unit_tests.test_react_graph import act, docs
from tools.built_in_tools import Toolbox


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path


def test_ingest_reports_each_outcome(home, capsys):
    folder = home / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# A\nAlpha facts.")
    (folder / "b.bin").write_bytes(b"\x00\x00")
    assert main(["ingest", str(folder), str(home / "nope"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["files"], summary["added"], summary["skipped"]) == (3, 1, 2)
    assert summary["chunks_added"] == 1
    assert {item["reason"] for item in summary["skipped_files"]} == {
        "binary file (not text)",
        "no such file or folder",
    }
    assert main(["ingest", str(folder), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["unchanged"], again["chunks_added"]) == (1, 0)


def test_ingest_prune_removes_the_files_that_are_gone_and_only_those(home, capsys):
    folder, other = home / "docs", home / "other"
    for place in (folder / "sub", other):
        place.mkdir(parents=True)
    (folder / "a.md").write_text("# A\nAlpha facts.")
    (folder / "sub" / "b.md").write_text("# B\nBeta facts.")
    (other / "c.md").write_text("# C\nGamma facts.")
    assert main(["ingest", str(folder), str(other), "--json"]) == 0
    capsys.readouterr()
    (folder / "sub" / "b.md").unlink()
    (other / "c.md").unlink()
    assert main(["ingest", str(folder), "--json"]) == 0
    kept = json.loads(capsys.readouterr().out)
    assert (kept["files"], kept["unchanged"], kept["removed"]) == (1, 1, 0)
    assert main(["ingest", str(folder), "--prune"]) == 0
    said = capsys.readouterr()
    assert f"removed {(folder / 'sub' / 'b.md').resolve()} (1 chunks; the file is gone)" in (
        " ".join(said.err.split())
    )
    assert "removed ┃ chunks added" in said.err
    from tools.knowledge_store import KnowledgeStore

    sources = set(KnowledgeStore("docs").file_versions())
    assert sources == {str((folder / "a.md").resolve()), str((other / "c.md").resolve())}


def test_ingest_goes_into_the_collection_the_runs_search(home, monkeypatch):
    from tools.knowledge_store import KnowledgeStore, collection_names

    (home / "tea.md").write_text("# Tea\nGreen tea comes from Camellia sinensis.")
    (home / "teamgraph.toml").write_text('collection = "notes"\n')
    monkeypatch.chdir(home)
    assert main(["ingest", "tea.md"]) == 0
    monkeypatch.setenv("TEAMGRAPH_COLLECTION", "more-notes")
    assert main(["ingest", "tea.md"]) == 0
    assert main(["ingest", "tea.md", "--collection", "flagged"]) == 0
    assert collection_names() == ["flagged", "more-notes", "notes"]
    assert KnowledgeStore("notes").count() == KnowledgeStore("more-notes").count() == 1


def test_a_misspelt_collection_setting_is_named_and_never_made(home, monkeypatch, capsys):
    from tools.knowledge_store import collection_names

    (home / "tea.md").write_text("# Tea\nGreen tea comes from Camellia sinensis.")
    assert main(["ingest", str(home / "tea.md"), "--collection", "notes"]) == 0
    monkeypatch.setenv("TEAMGRAPH_COLLECTION", "notez")
    capsys.readouterr()
    assert main(["tools"]) == 0
    assert main(["tools", "--tools", "knowledge_base"]) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "knowledge_base is off: there is no collection 'notez' (did you mean notes?)" in said
    assert "knowledge_base: there is no collection 'notez' (did you mean notes?); add" in said
    assert collection_names() == ["notes"]
    assert main(["ask", "What is tea?", "--collection", "notez"]) == 1
    assert "There is no collection 'notez'" in capsys.readouterr().err


def test_ingest_with_nothing_readable_fails_clearly(home, capsys):
    assert main(["ingest", str(home / "nope")]) == 1
    assert "No file could be ingested" in capsys.readouterr().err


def test_ingest_needs_something_with_the_usage_exit_code(capsys):
    assert main(["ingest"]) == 2
    assert "Nothing to ingest" in capsys.readouterr().err


def test_ingest_rejects_a_bad_collection_name(home, capsys):
    assert main(["ingest", str(home), "--collection", "a"]) == 1
    assert "Collection name 'a' is not valid" in capsys.readouterr().err


@pytest.fixture
def fake_react(monkeypatch):
    model = scripted(act("final_answer", "-"), "The password is purple-otter-42 [1].")
    monkeypatch.setattr(
        jobs,
        "toolbox",
        lambda *_, **__: Toolbox([docs], ["web_search is off: set TAVILY_API_KEY to enable it."]),
    )
    swap_build(
        monkeypatch, "react", lambda models, **kw: graphs.react.build_graph({"agent": model}, **kw)
    )
    return model


def test_ask_prints_the_answer_with_numbered_sources(fake_react, capsys):
    assert main(["ask", "--team", "react", "What is the Wi-Fi password?"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("The password is purple-otter-42 [1].")
    assert "Sources:\n[1] /d/guide.md, Wi-Fi, chunk c1" in out
    assert "web_search is off" in err
    assert "Searching docs with the question" in err


def test_ask_json(fake_react, capsys):
    assert main(["ask", "--team", "react", "What is the Wi-Fi password?", "--json", "-q"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["answer"].endswith("[1].")
    assert report["citations"][0]["number"] == 1 and report["citations"][0]["title"] == "guide.md"
    assert report["tool_calls"] == [
        {"tool": "docs", "input": {"query": "What is the Wi-Fi password?"}}
    ]
    assert report["stop_reason"] == "answered" and report["steps"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "--team", "react", " "], "question is empty"),
        (["ask", "--team", "react", "q", "--max-steps", "0"], "--max-steps"),
        (["ask", "--team", "react", "q", "--agent-model", "acme:x"], "Unknown model provider"),
    ],
)
def test_ask_bad_input(argv, message, home, capsys):
    assert main(argv) == 1
    assert message in capsys.readouterr().err


@pytest.fixture
def fake_research(monkeypatch, home):
    import graphs.research
    from tests.fakes import RoutedChatModel
    from tests.unit_tests.research_script import (
        ANSWER,
        DECIDER,
        FINAL,
        PLANNER,
        REFLECT,
        decision,
        echo_answer,
        plan,
        sufficient,
    )

    rules = [
        (DECIDER, decision("B")),
        (PLANNER, plan((1, "alpha", []), (2, "beta", [1]))),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, sufficient(True)),
        (
            FINAL,
            lambda p: (
                "Alpha then beta [1]." if "Q: first question" not in p else "Follow-up answer [1]."
            ),
        ),
    ]
    model = RoutedChatModel(rules=rules)
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([docs], []))
    swap_build(
        monkeypatch,
        "research",
        lambda models, **kw: graphs.research.build_graph(
            dict.fromkeys(graphs.research.ROLES, model), **{**kw, "tool_policy": "search"}
        ),
    )
    return model


def test_research_ask_prints_plan_tasks_and_cited_answer(fake_research, capsys):
    assert main(["ask", "first question"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Alpha then beta [1].")
    assert "Sources:\n[1] /d/guide.md, Wi-Fi, chunk c1" in out
    assert "plan:\n  1. alpha\n  2. beta (needs [1])" in err
    assert "task 1 running" in err and "task 2 done" in err


def test_research_ask_json_and_threads(fake_research, capsys, home):
    assert main(["ask", "first question", "--thread", "t1", "--json", "-q"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["team"] == "research" and first["thread"] == "t1"
    assert [t["id"] for t in first["plan"]] == [1, 2]
    assert [t["status"] for t in first["tasks"]] == ["done", "done"]
    assert first["stop_reason"] == "sufficient"
    assert first["usage"]["finalizer"]["calls"] == 1
    assert (home / "home" / "checkpoints.sqlite").exists()
    assert main(["ask", "second question", "--thread", "t1", "--json", "-q"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["answer"] == "Follow-up answer [1]."


def test_plan_flags_are_exclusive(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "q", "--plan", "--no-plan"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_no_abbreviated_flags(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "q", "--pla"])


def test_a_corrupt_checkpoint_file_is_a_clear_error(home, capsys):
    (home / "home").mkdir(parents=True, exist_ok=True)
    (home / "home" / "checkpoints.sqlite").write_bytes(b"this is not a database" * 100)
    assert main(["threads"]) == 1
    err = capsys.readouterr().err
    assert "Cannot use the checkpoint file" in err and "Traceback" not in err
    assert (home / "home" / "checkpoints.sqlite").read_bytes().startswith(b"this is not")


def test_a_locked_checkpoint_file_stops_before_anything_runs(
    fake_research, home, capsys, monkeypatch
):
    import sqlite3

    from graphs.threads import storage

    monkeypatch.setattr(storage, "LOCK_WAIT_S", 0.1)
    assert main(["ask", "first question", "--thread", "t1", "--json", "-q"]) == 0
    capsys.readouterr()
    made = len(fake_research.calls)
    holder = sqlite3.connect(str(home / "home" / "checkpoints.sqlite"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["ask", "second question", "--thread", "t1", "--json", "-q"]) == 1
        assert main(["threads"]) == 1
    finally:
        holder.rollback()
    err = capsys.readouterr().err
    assert err.count("is locked by another process") == 2 and "Traceback" not in err
    assert len(fake_research.calls) == made
    assert main(["ask", "second question", "--thread", "t1", "--json", "-q"]) == 0


def test_resuming_an_unknown_thread_is_a_clear_error(home, capsys):
    assert main(["resume", "--thread", "nope"]) == 1
    assert "No thread 'nope'" in capsys.readouterr().err


def test_ingest_prints_a_line_for_every_file(home, capsys):
    folder = home / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# A\nAlpha facts.")
    (folder / "b.bin").write_bytes(b"\x00\x00")
    assert main(["ingest", str(folder)]) == 0
    err = capsys.readouterr().err
    assert f"added {folder / 'a.md'} (1 chunks)" in err
    assert f"skipped {folder / 'b.bin'}: binary file" in err
    assert main(["ingest", str(folder)]) == 0
    assert f"unchanged {folder / 'a.md'}" in capsys.readouterr().err


def test_a_fallback_is_said_in_the_progress_and_the_json(home, monkeypatch, capsys):
    model = scripted("?", "?", "?", "An answer from what was found.")
    monkeypatch.setattr(jobs, "toolbox", lambda *_a, **_k: Toolbox([docs], []))
    swap_build(
        monkeypatch,
        "react",
        lambda models, **kw: graphs.react.build_graph({"agent": model}, **kw),
    )
    argv = ["ask", "--team", "react", "q", "--json"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["stop_reason"] == "fallback"
    assert report["fallbacks"][0]["role"] == "agent"
    assert "fallback: the agent's AgentAction could not be read" in err


def test_an_unknown_collection_is_named_with_the_ones_there_are(home, capsys):
    folder = home / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# A\nAlpha facts.")
    assert main(["ingest", str(folder), "--collection", "office"]) == 0
    capsys.readouterr()
    assert main(["ask", "q", "--collection", "offfice"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "There is no collection 'offfice' in the knowledge base (did you mean office?" in err
    assert main(["tools", "--collection", "offfice"]) == 1
    assert "There is no collection 'offfice'" in capsys.readouterr().err
    from tools.knowledge_store import collection_names

    assert collection_names() == ["office"], "no collection is made by asking for one"


@pytest.mark.parametrize(
    "command",
    [
        "write",
        "ask",
        "run",
        "new",
        "check",
        "resume",
        "threads",
        "wait",
        "ingest",
        "eval",
        "graphs",
        "compose",
        "support",
        "tools",
        "doctor",
    ],
)
def test_every_command_says_what_it_does_with_examples_and_its_environment(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    examples = text.split("examples:")[1].split("environment:")[0]
    assert examples.count("teamgraph ") == 2
    assert "TEAMGRAPH_DEBUG" in text.split("environment:")[1]
    assert len(text.split("\n\n")[1]) > 40


def test_an_answer_citing_nothing_lists_its_closest_sources_under_a_heading_that_says_so(
    monkeypatch, tmp_path, capsys
):
    import graphs.react
    import graphs.threads.jobs as jobs
    from graphs.cli import main
    from tests.fakes import scripted, swap_build
    from tests.unit_tests.test_react_graph import act, docs
    from tools.built_in_tools import Toolbox

    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    model = scripted(
        act("docs", "wifi"), act("final_answer", "-"), "The Wi-Fi password is purple-otter-42."
    )
    swap_build(
        monkeypatch,
        "react",
        lambda _m, **kw: graphs.react.build_graph({"agent": model}, first_step="model", **kw),
    )
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([docs], []))
    assert main(["ask", "--team", "react", "Wi-Fi?", "-q"]) == 0
    out = capsys.readouterr().out
    assert (
        "Sources (the answer cites none; these share the most words with it):\n[1] /d/guide.md"
        in out
    )


def test_an_answer_no_source_backs_says_so_under_it(monkeypatch, tmp_path, capsys):
    import graphs.research
    import graphs.threads.jobs as jobs
    from graphs.cli import main
    from tests.fakes import RoutedChatModel, swap_build
    from tools.built_in_tools import Toolbox

    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Look it up with a tool", "The password is password123."),
            ("Answer the sub-task", "The password is password123."),
            ("You write the final answer", "The password is password123."),
        ]
    )
    models = dict.fromkeys(graphs.research.ROLES, model)
    swap_build(monkeypatch, "research", lambda _m, **kw: graphs.research.build_graph(models, **kw))
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([], []))
    assert main(["ask", "Wi-Fi password?", "-q"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(
        "The password is password123.\n\nSources: none. No source backs this answer: "
        "it is the model's own."
    ), out
