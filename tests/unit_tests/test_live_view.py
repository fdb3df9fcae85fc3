"""What the live view shows a person: retries said, a resumed run's route, the eval's role
at work, Ctrl-C on a clean line, words in the right number, steps at once each timed."""

import io
import json
import os
import subprocess
import sys
import time

import pytest
from rich.console import Console

import graphs.writer
from graphs import research
from graphs.cli import main
from graphs.cli.views import evaluation as eval_view
from graphs.cli.views.evaluation import EvalProgress, time_left
from graphs.common import live
from graphs.common.live import Narrator, ProgressView
from graphs.evaluation.runner import SINGLE_CALL, evaluate
from graphs.writer.narration import WriterNarrator
from tests.fakes import RoutedChatModel, scripted, swap_build
from tests.terminal import ROOT, Terminal
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict

TEAM_ENTRY = "tests.unit_tests.team_cli_entry"


class APITimeoutError(Exception):
    """Named as the OpenAI SDK names its time-out: a transient failure."""


def test_a_model_call_that_times_out_and_is_tried_again_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(APITimeoutError("Request timed out."), draft(1)),
        "critic": scripted(critique(True, 9)),
    }
    swap_build(monkeypatch, "writer", lambda _m, **kw: graphs.writer.build_graph(models, **kw))
    assert main(["write", "bees"]) == 0
    err = capsys.readouterr().err
    assert (
        "! the writer model's call failed (APITimeoutError: Request timed out.); "
        "trying again (attempt 2 of 3)" in err
    )
    assert err.index("trying again") < err.index("Writer wrote 5 words")


def test_a_resumed_team_run_shows_its_route_not_the_manager_choosing(tmp_path):
    env = {"TEAMGRAPH_HOME": str(tmp_path), "TEAM_SCRIPT_ROUTE": "research,writer"}
    first = subprocess.run(
        [sys.executable, "-m", TEAM_ENTRY, "run", "bees", "--thread", "H1", "-q"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
    )
    assert first.returncode == 3
    terminal = Terminal(TEAM_ENTRY, ["resume", "--thread", "H1", "--answer", "approve"], env)
    terminal.expect("approve / revise <notes>:")
    terminal.type("approve")
    assert terminal.wait() == 0
    assert "Teams: research → [writer]" in terminal.screen
    assert "Manager is choosing the teams" not in terminal.screen


def test_ctrl_c_takes_the_spinner_off_before_its_last_word(tmp_path):
    env = {
        "TEAMGRAPH_HOME": str(tmp_path),
        "TEAM_SCRIPT_ROUTE": "writer",
        "TEAM_SCRIPT_SLOW_S": "30",
    }
    terminal = Terminal(TEAM_ENTRY, ["run", "bees", "--thread", "C1", "--auto-approve"], env)
    terminal.expect("Writer is drafting")
    time.sleep(0.5)
    terminal.interrupt()
    assert terminal.wait() == 130
    before, _, after = terminal.raw.rpartition("interrupted:")
    assert "\x1b[?25h" in before  # the cursor the live display hid is shown again
    assert "drafting" not in after and terminal.raw.endswith("\r\n")
    assert "teamgraph resume --thread C1" in after


def test_eval_progress_names_the_role_at_work_and_the_time():
    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Pick the tool", json.dumps({"reason": "known", "tool": "internal_knowledge"})),
            ("Answer the sub-task", "Paris"),
            ("You write the final answer", "Paris"),
            ("Answer the question directly", "Paris"),
        ]
    )
    graph = research.build_graph(dict.fromkeys(research.ROLES, model), tools=[])
    progress = EvalProgress(Console(), 2)
    seen: list[str] = []

    def at_work(who):
        seen.append(who)
        progress.at_work(who)
        assert progress._status().startswith(f"question 1 of 2: {who} 0s (total ")

    question = {"id": "q1", "question": "Capital of France?", "gold": ["Paris"]}
    evaluate([question], research.SPEC, graph, model, "scripted", on_role=at_work)
    assert seen[0] == "research/decider" and seen[-1] == SINGLE_CALL
    assert "research/finalizer" in seen


def answered(question_id):
    attempt = {"scores": {"f1": 0.5}}
    return {"id": question_id, "team": attempt, "baseline": attempt}


def test_eval_progress_counts_questions_answered_at_once_and_what_is_left(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(eval_view.time, "monotonic", lambda: now[0])
    progress = EvalProgress(Console(), 3, concurrency=2)
    progress.question_started({"id": "q1"})
    progress.question_started({"id": "q2"})
    progress.at_work("research/planner")
    now[0] = 44.0
    assert progress._status() == (
        "0 of 3 answered, 2 at work, latest call: research/planner 44s (total 44s)"
    )
    now[0] = 438.0
    progress.add(answered("q2"))
    progress.question_started({"id": "q3"})
    now[0] = 448.0
    status = progress._status()
    assert status.startswith("1 of 3 answered, 2 at work, latest call: research/planner")
    assert status.endswith("about 7m08s left")  # q3 takes 438 s, less its 10 s; q1 ends now
    progress.add(answered("q3"))
    assert progress._status().startswith("question 3 of 3: research/planner")
    assert progress._status().endswith("single call 0.50")  # q1 ran past the mean: no guess


def test_eval_progress_time_left_counts_the_question_at_work(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(eval_view.time, "monotonic", lambda: now[0])
    progress = EvalProgress(Console(), 3)
    progress.question_started({"id": "q1"})
    now[0] = 100.0
    progress.add(answered("q1"))
    progress.question_started({"id": "q2"})
    now[0] = 130.0
    assert progress._status().endswith("about 2m50s left")  # 70 s of q2, 100 s of q3


@pytest.mark.parametrize(
    ("each", "running", "waiting", "slots", "left"),
    [
        (100.0, [30.0], 2, 1, 270.0),
        (100.0, [0.0, 0.0, 0.0, 0.0], 12, 4, 400.0),
        (438.0, [438.0], 0, 2, 0.0),
        (100.0, [150.0], 1, 2, 100.0),
        (60.0, [], 3, 4, 60.0),
    ],
)
def test_time_left_fills_the_slots_that_free_first(each, running, waiting, slots, left):
    assert time_left(each, running, waiting, slots) == left


def test_evaluate_says_when_each_question_starts_before_its_row():
    model = RoutedChatModel(rules=[("", "Paris")])
    graph = research.build_graph(dict.fromkeys(research.ROLES, model), tools=[])
    heard: list[str] = []
    questions = [
        {"id": f"q{n}", "question": f"Capital {n}?", "gold": ["Paris"], "evidence": []}
        for n in (1, 2)
    ]
    evaluate(
        questions,
        research.SPEC,
        graph,
        model,
        "scripted",
        on_row=lambda row: heard.append("row " + row["id"]),
        on_start=lambda item: heard.append("start " + item["id"]),
    )
    assert heard == ["start q1", "row q1", "start q2", "row q2"]


@pytest.mark.parametrize(
    ("outline", "line"), [(["Intro"], "1 section"), (["A", "B"], "2 sections")]
)
def test_counts_read_in_the_right_number(outline, line):
    narrator = WriterNarrator(cap=2)
    done = narrator.done("manager_plan", {"plan": {"outline": outline, "audience": "kids"}})
    assert done == f"Manager planned {line} for kids"
    assert narrator.done("writer", {"drafts": ["Bees."]}) == "Writer wrote 1 word"


def test_a_chinese_draft_is_counted_in_characters_not_in_spaced_runs():
    narrator = WriterNarrator(cap=2)
    draft = "蜜蜂很重要。它们为花授粉，Wi-Fi 除外。"
    assert narrator.done("writer", {"drafts": [draft]}) == "Writer wrote 14 words"


class BranchNarrator(Narrator):
    """Says each branch's node at work and done."""

    def activity(self, node, state):
        return f"{node} is reading"

    def done(self, node, update):
        return f"{node} read"


def test_steps_that_run_at_once_are_each_timed_from_their_own_start(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    console = Console(file=io.StringIO(), width=200)
    view = ProgressView(console, BranchNarrator())

    def at(seconds, event, namespace, node):
        clock[0] = 100.0 + seconds
        event(namespace, node, {})

    at(1, view.on_start, ("account:1",), "tools")
    at(6, view.on_start, ("diagnosis:2",), "tools")
    at(8, view.on_done, ("account:1",), "tools")
    at(9, view.on_done, ("diagnosis:2",), "tools")
    at(10, view.on_start, ("account:1",), "tools")
    at(14, view.on_done, ("account:1",), "tools")
    assert console.file.getvalue().splitlines() == [
        "✓ account/tools read (7.0s)",
        "✓ diagnosis/tools read (3.0s)",
        "✓ account/tools read (4.0s)",
    ]


def test_a_react_turn_that_only_repeats_a_call_is_not_said_to_choose_it():
    from langchain_core.messages import AIMessage

    from graphs.react.narration import ReactNarrator

    def turn(query: str) -> dict:
        call = {"name": "wikipedia_search", "args": {"query": query}, "id": query}
        return {"messages": [AIMessage("", tool_calls=[call])]}

    narrator = ReactNarrator(cap=4)
    assert narrator.done("agent", turn("otters")) == "Agent chose wikipedia_search"
    assert narrator.done("agent", turn("sea otters")) == "Agent chose wikipedia_search"
    assert narrator.done("agent", turn("otters")) == (
        "Agent asked for wikipedia_search again with the same input: nothing new to read"
    )
    assert narrator.done("agent", {"messages": [AIMessage("Otters hold hands.")]}) is None
    narrator.done("answer", {"answer": "Otters hold hands."})
    assert narrator.done("agent", turn("otters")) == "Agent chose wikipedia_search"


def test_after_a_persons_revise_the_writer_is_said_to_apply_their_notes_not_the_managers():
    narrator = WriterNarrator(cap=2)
    sent_back = {"manager_instructions": "Shorter.", "person_revision": True}
    assert narrator.done("approve_draft", sent_back) == "A person asked for changes"
    asked = {"drafts": ["first draft"], **sent_back}
    assert narrator.activity("writer", asked) == "Writer is applying your notes"
    narrator.done("writer", {"drafts": ["second draft"], "person_revision": False})
    returned = {**asked, "manager_instructions": "Add a tip.", "person_revision": False}
    assert narrator.activity("writer", returned) == "Writer is applying the Manager's notes"
    assert narrator.done("approve_draft", {"stop_reason": "human_approved"}) == (
        "Approved by a person"
    )
