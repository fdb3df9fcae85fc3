"""``teamgraph wait``: it waits while any process holds the thread, showing the run's lines."""

import io
import os
import time

import pytest
from rich.console import Console

# Loaded first: a test patches checkpoint_url, and a module first imported then would keep
# the patched one for every later test.
import graphs.cli.detach  # noqa: F401
from graphs.cli import wait
from graphs.cli.views.waiting import WaitView


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    return tmp_path


def console():
    return Console(file=io.StringIO(), width=120)


def shown(view):
    return view.console.file.getvalue()


def test_the_run_is_waited_for_while_its_lock_is_held_in_the_database(home, monkeypatch):
    answers = iter([True, True, True, False])
    asked = []

    def running(thread):
        asked.append(thread)
        return next(answers)

    monkeypatch.setattr("graphs.threads.location.checkpoint_url", lambda: "postgresql://db/x")
    monkeypatch.setattr("graphs.threads.locks.checkpoint_url", lambda: "postgresql://db/x")
    monkeypatch.setattr("graphs.threads.locks.is_running", running)
    monkeypatch.setattr(wait, "POLL_S", 0.01)
    wait._wait_while_running("T1", console(), quiet=True)
    assert asked == ["T1"] * 4
    assert not (home / "locks").exists()  # no lock file is asked: the database holds it


def test_the_lines_a_run_logs_are_shown_as_they_come_and_a_cut_line_once_whole(home):
    lock, log = home / "T.lock", home / "T.log"
    lock.write_text("123")
    log.write_text("✓ Manager planned 3 sections (1.0s)\n✓ Writer wr")
    view = WaitView(console(), "T", log, lock, quiet=False)
    view.follow()
    assert shown(view) == "✓ Manager planned 3 sections (1.0s)\n"
    with log.open("a") as file:
        file.write("ote 40 words (2.0s)\n")
    view.follow()
    assert shown(view).endswith("✓ Writer wrote 40 words (2.0s)\n")


def test_a_log_left_by_an_earlier_run_of_the_thread_is_not_shown(home):
    lock, log = home / "T.lock", home / "T.log"
    log.write_text("✓ an earlier run's line\n")
    lock.write_text("123")
    earlier = time.time() - 60
    os.utime(log, (earlier, earlier))
    view = WaitView(console(), "T", log, lock, quiet=False)
    view.follow()
    assert shown(view) == ""
    log.write_text("✓ this run's line\n")  # the run detached now truncates and writes it
    view.follow()
    assert shown(view) == "✓ this run's line\n"


def test_with_the_lock_in_a_database_only_lines_logged_while_waiting_are_shown(home):
    log = home / "T.log"
    log.write_text("✓ a line from before\n")
    view = WaitView(console(), "T", log, None, quiet=False)
    with log.open("a") as file:
        file.write("✓ a line while waiting\n")
    view.follow()
    assert shown(view) == "✓ a line while waiting\n"


def test_the_runs_last_words_in_its_log_are_left_to_wait_which_prints_them_with_the_result(home):
    lock, log = home / "T.lock", home / "T.log"
    lock.write_text("123")
    log.write_text(
        "✓ Critic approved (score 7/10) (23.5s)\n"
        "┏━━━━━━┳━━━━━━━┓\n┃ role ┃ model ┃\n┗━━━━━━┻━━━━━━━┛\n"
        "stopped: approved (approved by the Critic and the Manager), 83.2s\n"
    )
    view = WaitView(console(), "T", log, lock, quiet=False)
    view.follow()
    view.follow()
    assert shown(view) == "✓ Critic approved (score 7/10) (23.5s)\n"
