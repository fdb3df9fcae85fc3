"""A thread belongs to one request: another team, or a new request on a thread waiting for a
person, is refused with one clear line, and the thread's own run is left as it was."""

import json

import pytest

import graphs.research
import graphs.support
import graphs.threads.jobs as jobs
import graphs.writer
from graphs.cli import main
from tests.fakes import RoutedChatModel, scripted, swap_build
from tests.unit_tests.research_script import ANSWER, DECIDER, FINAL, decision, echo_answer
from tests.unit_tests.support_script import action, desk_model, proposal, rows
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.built_in_tools import Toolbox


@pytest.fixture
def home(tmp_path, monkeypatch):
    from tests.fakes import make_instant_search

    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([make_instant_search()], []))
    return tmp_path


def threads(capsys):
    assert main(["threads", "--json"]) == 0
    return [(t["thread"], t["team"], t["status"]) for t in json.loads(capsys.readouterr().out)]


def test_another_team_on_a_finished_thread_is_refused_and_the_thread_kept(
    home, monkeypatch, capsys
):
    writers = {
        "manager": scripted(PLAN, verdict(True), PLAN, verdict(True)),
        "writer": scripted(draft(1), draft(2)),
        "critic": scripted(critique(True, 9), critique(True, 9)),
    }
    swap_build(monkeypatch, "writer", lambda _m, **kw: graphs.writer.build_graph(writers, **kw))
    researcher = RoutedChatModel(
        rules=[(DECIDER, decision("A")), (ANSWER, echo_answer), (FINAL, "An answer [1].")]
    )
    swap_build(
        monkeypatch,
        "research",
        lambda _m, **kw: graphs.research.build_graph(
            dict.fromkeys(graphs.research.ROLES, researcher), **kw
        ),
    )
    assert main(["write", "bees", "--thread", "w1", "-q"]) == 0
    capsys.readouterr()
    assert main(["ask", "what about wasps?", "--thread", "w1", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Thread 'w1' belongs to the writer team" in err and "another --thread" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert researcher.calls == []
    assert threads(capsys) == [("w1", "writer", "done")]
    assert main(["write", "wasps", "--thread", "w1", "--json"]) == 0  # the same team goes on
    assert json.loads(capsys.readouterr().out)["text"] == draft(2)


def test_a_new_ticket_on_a_thread_waiting_for_approval_is_refused(home, monkeypatch, capsys):
    assert main(["support", "init", "--demo", "-q"]) == 0
    desk = desk_model(
        resolution=proposal(action("refund", bill_id="B1004-2025-06", amount=89)),
    )
    swap_build(
        monkeypatch,
        "support",
        lambda _m, **kw: graphs.support.build_graph(
            dict.fromkeys(graphs.support.ROLES, desk), **kw
        ),
    )
    ticket = ["--customer", "C1004", "--thread", "S1", "--feedback", "4", "-q"]
    assert main(["support", "Charged twice for the router", *ticket]) == 3
    capsys.readouterr()
    calls = len(desk.calls)
    assert main(["support", "And my line is slow", *ticket]) == 1
    err = capsys.readouterr().err
    assert "Thread 'S1' is waiting for the approval of refund(" in err
    assert "`teamgraph resume --thread S1 --answer approve`" in err
    assert len(desk.calls) == calls
    db = home / "support.sqlite"
    assert [t["status"] for t in rows(db, "SELECT status FROM tickets")] == ["open"]
    assert main(["resume", "--thread", "S1", "--answer", "approve", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(a["action"], a["status"]) for a in report["actions"]] == [("refund", "done")]
    assert [t["status"] for t in rows(db, "SELECT status FROM tickets")] == ["replied"]
