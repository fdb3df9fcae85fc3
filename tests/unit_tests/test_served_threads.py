"""``teamgraph threads --server URL``: a server's threads in the local listing's words."""

import json
from types import SimpleNamespace

import pytest

from graphs.cli import main
from graphs.serving import threads as served


class FakeThreads:
    """The SDK's thread calls over a fixed list of threads (no network)."""

    def __init__(self, found, pending, kept, asking=()):
        self.found = found
        self.asking = asking
        self.pending = pending
        self.kept = kept
        self.asked_state = []

    def search(self, *, limit, offset, sort_by, sort_order):
        assert (sort_by, sort_order) == ("updated_at", "desc")
        return self.found[offset : offset + limit]

    def get_state(self, thread_id):
        self.asked_state.append(thread_id)
        [found] = [t for t in self.found if t["thread_id"] == thread_id]
        values = found.get("values", self.kept.get(thread_id))
        waiting = [{"interrupts": [{"value": "approve?"}]}] if thread_id in self.asking else []
        return {
            "values": values,
            "next": self.pending.get(thread_id, []),
            "tasks": waiting,
            "metadata": {},
        }


def thread(thread_id, status, values, **metadata):
    return {
        "thread_id": thread_id,
        "status": status,
        "values": values,
        "metadata": metadata,
        "updated_at": "2026-12-05T09:36:07+00:00",
    }


@pytest.fixture
def server(monkeypatch):
    found = [
        thread("u1", "idle", {"topic": "tea"}, graph_id="writer", teamgraph_thread="tea-1"),
        thread("u2", "idle", {"topic": "bees"}, graph_id="writer"),
        thread("u3", "interrupted", {"request": "plan"}, graph_id="team"),
        thread("u4", "busy", {"question": "q"}, graph_id="research"),
        thread("u5", "error", {}, graph_id="my-team"),
        thread("u6", "idle", None),
        {**thread("u7", "idle", None, graph_id="react"), "values": None},
        thread("u8", "idle", {"request": "tea"}, graph_id="team"),
    ]
    del found[-2]["values"]  # a server whose search gives no values (Aegra)
    kept = {"u7": {"question": "why"}}
    fake = FakeThreads(found, {"u2": ["writer"], "u8": ["approve"]}, kept, asking={"u8"})
    monkeypatch.setattr(served, "get_sync_client", lambda **_: SimpleNamespace(threads=fake))
    return fake


def test_each_served_thread_is_listed_by_name_team_status_and_request(server, capsys):
    assert main(["threads", "--server", "http://127.0.0.1:8123", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["thread"], r["team"], r["status"], r["request"]) for r in rows] == [
        ("tea-1", "writer", "done", "tea"),
        ("u2", "writer", "interrupted", "bees"),
        ("u3", "team", "waiting", "plan"),
        ("u4", "research", "running", "q"),
        ("u5", "my-team", "failed", ""),
        ("u6", "?", "no run yet", ""),
        ("u7", "react", "done", "why"),
        ("u8", "team", "waiting", "tea"),  # idle, awaiting a person's answer
    ]
    assert server.asked_state == ["u1", "u2", "u6", "u7", "u8"]  # what the search left unsaid


def test_a_server_with_more_threads_than_a_page_is_read_to_the_end(server, monkeypatch):
    monkeypatch.setattr(served, "PAGE", 4)
    assert len(served.served_threads("http://127.0.0.1:8123")) == 8


def test_a_served_threads_steps_are_refused_in_one_line(server, capsys):
    assert main(["threads", "tea-1", "--server", "http://127.0.0.1:8123"]) == 1
    assert "shows the steps of threads kept here only" in capsys.readouterr().err
