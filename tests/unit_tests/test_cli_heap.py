"""A command's garbage collections skip what it loaded, and the process skips the last one;
whatever a command leaves behind is collected as usual once it has returned."""

import gc
import subprocess
import sys
import weakref

import graphs.cli.teams as teams_cli
from graphs.cli import main
from graphs.cli.heap import loaded_set_aside, loading


class Node:
    """An object that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.me = self


def dropped_cycle() -> weakref.ref:
    """A reference cycle nothing refers to any more: garbage only a collection frees."""
    return weakref.ref(Node())


def test_what_was_loaded_is_left_out_of_collections_in_the_body_and_collected_after():
    gone = dropped_cycle()
    with loaded_set_aside():
        gc.collect()
        assert gone() is not None
        created_inside = dropped_cycle()
        gc.collect()
        assert created_inside() is None
    gc.collect()
    assert gone() is None and gc.get_freeze_count() == 0


def test_loading_pauses_collections_and_restores_the_setting_it_found():
    with loading():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with loading():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_command_runs_with_the_commands_loaded_set_aside_and_gives_them_back(monkeypatch):
    seen = {}

    def run(args, console):
        seen["set aside"] = gc.get_freeze_count()
        return 0

    monkeypatch.setattr(teams_cli, "run", run)
    assert main(["graphs"]) == 0
    assert seen["set aside"] > 0 and gc.get_freeze_count() == 0


AT_EXIT = """
import atexit, gc
atexit.register(lambda: print("frozen at the end:", gc.get_freeze_count() > 0, flush=True))
from graphs.cli.heap import no_collection_at_exit
no_collection_at_exit()
no_collection_at_exit()
atexit.register(lambda: print("frozen before:", gc.get_freeze_count() > 0, flush=True))
with open(sys.argv[1], "w") as report:
    report.write("complete")
"""


def test_the_heap_is_frozen_at_exit_after_the_other_exit_handlers_with_files_complete(tmp_path):
    written = tmp_path / "report.txt"
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + AT_EXIT, str(written)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines() == ["frozen before: False", "frozen at the end: True"]
    assert written.read_text() == "complete"
