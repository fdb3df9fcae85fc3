"""A command's process collects no garbage while it sets up, and none of everything at exit."""

import atexit
import gc
import subprocess
import sys

import pytest

import graphs.threads.jobs as jobs
import graphs.writer
from graphs.cli import heap, main
from tests.fakes import RoutedChatModel, make_instant_search, scripted, swap_build
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.built_in_tools import Toolbox

AT_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at the end:", gc.get_freeze_count() > 0, flush=True))
from graphs.cli.heap import no_collection_at_exit
no_collection_at_exit()
no_collection_at_exit()
atexit.register(lambda: print("frozen before:", gc.get_freeze_count() > 0, flush=True))
with open(sys.argv[1], "w") as report:
    report.write("complete")
"""

OWN_COMMAND = """
import atexit, gc, sys
from graphs.cli import main
atexit.register(lambda: print("collecting at exit:", gc.isenabled()))
sys.argv = ["teamgraph", "graphs", "--json"]
main()
"""


@pytest.fixture
def held():
    """The collector held as a process running its own command holds it; restored after."""
    heap.hold_collection()
    yield
    heap.set_up_done()
    gc.unfreeze()
    gc.enable()


def test_the_heap_is_frozen_at_exit_after_the_other_exit_handlers_with_files_complete(tmp_path):
    written = tmp_path / "report.txt"
    done = subprocess.run(
        [sys.executable, "-c", AT_EXIT, str(written)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines() == ["frozen before: False", "frozen at the end: True"]
    assert written.read_text() == "complete"


def test_a_command_registers_the_freeze_at_exit_once(monkeypatch):
    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(
        atexit, "unregister", lambda f: registered.remove(f) if f in registered else None
    )
    assert main(["graphs", "--json"]) == 0
    assert main(["graphs", "--json"]) == 0
    assert registered.count(gc.freeze) == 1


def test_a_process_running_its_own_command_holds_the_collector_through_a_short_command():
    done = subprocess.run(
        [sys.executable, "-c", OWN_COMMAND], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "collecting at exit: False"


def test_a_command_called_from_code_leaves_the_collector_alone():
    assert gc.isenabled()
    assert main(["graphs", "--json"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_set_up_done_freezes_the_set_up_once_and_only_after_a_hold():
    heap.set_up_done()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    heap.hold_collection()
    try:
        assert not gc.isenabled()
        heap.set_up_done()
        frozen = gc.get_freeze_count()
        assert gc.isenabled() and frozen > 0
        heap.set_up_done()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_team_run_collects_again_before_its_first_step(held, tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([make_instant_search()], []))
    collecting = []

    def plan(_messages):
        collecting.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return PLAN

    models = {
        "manager": scripted(plan, verdict(True)),
        "writer": scripted(draft(1)),
        "critic": scripted(critique(True, 9)),
    }
    swap_build(monkeypatch, "writer", lambda _m, **kw: graphs.writer.build_graph(models, **kw))
    assert main(["write", "bees", "-q"]) == 0
    assert collecting == [(True, True)]


def test_an_evaluation_collects_again_before_its_first_question(held, tmp_path, monkeypatch):
    dataset = tmp_path / "qs.jsonl"
    dataset.write_text('{"question": "Capital of France?", "answer": "Paris"}\n')
    collecting = []

    def answer(_prompt):
        collecting.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return "Paris"

    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", '{"reason": "simple", "type": "A"}'),
            ("Pick the tool", '{"reason": "known", "tool": "internal_knowledge"}'),
            ("Answer the sub-task", answer),
            ("You write the final answer", answer),
            ("Answer the question directly", answer),
        ]
    )
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([], []))
    monkeypatch.setattr("agents.llm.models.load_chat_model", lambda _name: model)
    real_build = swap_build(
        monkeypatch, "research", lambda models, **kw: real_build(dict.fromkeys(models, model), **kw)
    )
    argv = ["eval", "--dataset", str(dataset), "--out", str(tmp_path / "report"), "--json"]
    assert main(argv) == 0
    assert collecting and set(collecting) == {(True, True)}
