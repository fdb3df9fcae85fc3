"""A command's process ends without collecting everything it holds, its files complete."""

import subprocess
import sys

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
    import atexit
    import gc

    from graphs.cli import main

    registered = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(
        atexit, "unregister", lambda f: registered.remove(f) if f in registered else None
    )
    assert main(["graphs", "--json"]) == 0
    assert main(["graphs", "--json"]) == 0
    assert registered.count(gc.freeze) == 1
