"""The served teams without a server: the client's events, reconnects and refusals, the CLI's
context and checks, and the Aegra config. Real Aegra workers run in
tests/integration_tests/test_aegra_workers.py."""

import argparse
import io
import json
import uuid
from pathlib import Path

import httpx
import pytest
from langgraph.types import Command, Overwrite
from langgraph_sdk.errors import ConflictError, NotFoundError, UnprocessableEntityError
from langgraph_sdk.schema import StreamPart

from graphs.cli import flags, served
from graphs.cli import serve as serve_command
from graphs.registry import TEAMS
from graphs.serving import aegra
from graphs.serving.client import THREAD_NAMES, ServedTeam, ServerError
from graphs.serving.workers import Worker, Workers
from tools.kernel.errors import InputError, TeamgraphError

URL = "http://127.0.0.1:8123"


class FakeRuns:
    """The runs API of a server whose streams are scripted: a list of event lists, one per
    connection; an exception in a list breaks that connection there."""

    def __init__(self, connections, status="success"):
        self.connections = list(connections)
        self.created = []
        self.joined_from = []
        self.status = status

    def create(self, thread, team, **kwargs):
        self.created.append((thread, team, kwargs))
        return {"run_id": "R1"}

    def join_stream(self, thread, run, *, stream_mode=None, last_event_id=None):
        """Events of the run; of several modes named, only the last is kept, as LangChain's
        Agent Server does (it reads one ``stream_mode`` query value)."""
        self.joined_from.append(last_event_id)
        kept = stream_mode[-1] if isinstance(stream_mode, list) else stream_mode
        for event in self.connections.pop(0):
            if isinstance(event, Exception):
                raise event
            if kept is None or event.event.split("|")[0] in (kept, "end"):
                yield event

    def get(self, thread, run):
        return {"status": self.status}

    def list(self, thread, limit=10):
        return []


class FakeThreads:
    """Thread lookups: Aegra's (any name; 404 for an unknown one), or LangChain's Agent
    Server's (``uuids_only``: 422 for an id that is no UUID, before looking)."""

    def __init__(self, uuids_only=False, known=None):
        self.uuids_only = uuids_only
        self.known = dict(known or {})
        self.asked = []

    def get(self, thread):
        self.asked.append(thread)
        response = httpx.Response(422, request=httpx.Request("GET", URL))
        if self.uuids_only:
            try:
                uuid.UUID(thread)
            except ValueError:
                error = UnprocessableEntityError("Invalid thread ID", response=response, body=None)
                raise error from None
        if thread not in self.known:
            raise NotFoundError("Thread not found", response=response, body=None)
        return {"thread_id": thread, "metadata": {"graph_id": self.known[thread]}}


def team_with(runs, threads=None) -> ServedTeam:
    team = ServedTeam("writer", URL, context={"max_revisions": 1})
    team.api = type("Api", (), {"runs": runs, "threads": threads or FakeThreads()})()
    return team


def part(n, event, data):
    return StreamPart(event, data, f"e{n}")


def test_a_broken_stream_is_joined_again_from_the_last_event_and_nothing_is_lost(monkeypatch):
    monkeypatch.setattr("graphs.serving.client.time.sleep", lambda s: None)
    runs = FakeRuns(
        [
            [
                part(1, "tasks", {"name": "writer", "result": {"drafts": ["a"]}}),
                httpx.RemoteProtocolError("peer closed connection"),
            ],
            [
                part(2, "tasks|critic:1", {"name": "critic"}),
                part(3, "values", {"topic": "tea", "__interrupt__": []}),
                StreamPart("end", None, None),
            ],
        ]
    )
    events = list(
        team_with(runs).stream(
            {"topic": "tea"},
            {"configurable": {"thread_id": "T1"}},
            stream_mode=["tasks", "values"],
            subgraphs=True,
            durability="sync",
        )
    )
    assert runs.joined_from == [None, "e1"]
    assert events == [
        ((), "tasks", {"name": "writer", "result": {"drafts": ["a"]}}),
        (("critic:1",), "tasks", {"name": "critic"}),
        ((), "values", {"topic": "tea"}),
    ]
    thread, team, sent = runs.created[0]
    assert (thread, team) == ("T1", "writer")
    assert sent["context"] == {"max_revisions": 1} and sent["durability"] == "sync"
    assert sent["multitask_strategy"] == "reject" and sent["stream_subgraphs"] is True
    assert sent["config"]["metadata"]["teamgraph_team"] == "writer"


WRITER_EVENTS = [
    part(1, "tasks", {"name": "writer", "result": {"drafts": ["a"]}}),
    part(2, "values", {"topic": "tea"}),
    StreamPart("end", None, None),
]


def test_on_a_server_taking_only_uuids_a_thread_name_stands_for_the_same_uuid_in_every_process():
    threads = FakeThreads(uuids_only=True)
    first, second = FakeRuns([WRITER_EVENTS]), FakeRuns([WRITER_EVENTS])
    config = {"configurable": {"thread_id": "tea-1"}}
    events = list(
        team_with(first, threads).stream({"topic": "tea"}, config, stream_mode=["tasks", "values"])
    )
    list(
        team_with(second, threads).stream({"topic": "tea"}, config, stream_mode=["tasks", "values"])
    )
    derived = str(uuid.uuid5(THREAD_NAMES, "tea-1"))
    assert [created[0] for created in first.created + second.created] == [derived, derived]
    assert first.created[0][2]["config"]["metadata"]["teamgraph_thread"] == "tea-1"
    assert events == [("tasks", WRITER_EVENTS[0].data), ("values", {"topic": "tea"})]
    named = str(uuid.uuid4())
    third = FakeRuns([WRITER_EVENTS])
    list(team_with(third, threads).stream({"topic": "tea"}, {"configurable": {"thread_id": named}}))
    assert third.created[0][0] == named and threads.asked == ["tea-1", "tea-1"]


def test_on_aegra_a_thread_keeps_its_name_and_is_looked_up_once_per_client():
    threads, runs = FakeThreads(), FakeRuns([WRITER_EVENTS, WRITER_EVENTS])
    team = team_with(runs, threads)
    for _ in range(2):
        list(team.stream({"topic": "tea"}, {"configurable": {"thread_id": "tea-1"}}))
    assert [created[0] for created in runs.created] == ["tea-1", "tea-1"]
    assert threads.asked == ["tea-1"]


def test_resume_finds_a_named_thread_on_a_server_taking_only_uuids(monkeypatch):
    derived = str(uuid.uuid5(THREAD_NAMES, "tea-1"))
    threads = FakeThreads(uuids_only=True, known={derived: "writer"})
    runs = FakeRuns([])
    runs.list = lambda thread, limit=10: (
        [{"context": {"max_revisions": 2}}] if thread == derived else []
    )
    api = type("Api", (), {"runs": runs, "threads": threads})()
    monkeypatch.setattr("graphs.serving.client.get_sync_client", lambda **_: api)
    job = served.served_resume_job("tea-1", URL)
    assert job.spec.name == "writer" and job.thread == "tea-1"
    assert job.settings == {"max_revisions": 2}
    with pytest.raises(InputError, match="has no thread 'tea-2' to resume"):
        served.served_resume_job("tea-2", URL)


def test_an_overwrite_comes_back_as_one_and_an_answer_goes_as_a_command():
    runs = FakeRuns(
        [
            [
                part(
                    1,
                    "tasks",
                    {"name": "plan", "result": {"tasks": {"value": {}, "type": "__overwrite__"}}},
                ),
                part(2, "values", {"plan": []}),
            ]
        ]
    )
    events = list(
        team_with(runs).stream(
            Command(resume={"action": "approve"}),
            {"configurable": {"thread_id": "T1"}},
            stream_mode="tasks",
        )
    )
    assert events == [{"name": "plan", "result": {"tasks": Overwrite({})}}]
    assert runs.created[0][2]["command"] == {"resume": {"action": "approve"}}
    assert runs.created[0][2]["input"] is None


def test_a_run_that_fails_on_the_server_is_one_clear_error():
    runs = FakeRuns(
        [[part(1, "error", {"error": "ModelCallError", "message": "writer model failed"})]]
    )
    with pytest.raises(ServerError, match="The run failed on the server: writer model failed"):
        list(team_with(runs).stream({"topic": "tea"}, {"configurable": {"thread_id": "T"}}))


def test_a_thread_busy_on_the_server_is_refused_saying_how_to_follow_it():
    response = httpx.Response(409, request=httpx.Request("POST", URL))
    runs = FakeRuns([])
    runs.create = lambda *a, **k: (_ for _ in ()).throw(
        ConflictError("busy", response=response, body=None)
    )
    with pytest.raises(ServerError, match="teamgraph resume --thread T1 --server URL"):
        list(team_with(runs).stream({"topic": "tea"}, {"configurable": {"thread_id": "T1"}}))


def test_the_run_context_holds_settings_and_chosen_models_only():
    assert served.run_context({"writer": "openai:x", "critic": None}, {"max_revisions": 2}) == {
        "max_revisions": 2,
        "writer_model": "openai:x",
    }
    assert served.run_context({"manager": None, "research": {"planner": None}}, {}) == {}
    with pytest.raises(InputError, match="Manager's model only"):
        served.run_context({"manager": None, "research": {"planner": "openai:x"}}, {})


def test_tool_flags_are_refused_with_a_server():
    with pytest.raises(InputError, match="--tools, --mcp choose this machine's tools"):
        flags.refuse_local_flags(argparse.Namespace(tools=["calculator"], mcp="m.json"))
    flags.refuse_local_flags(argparse.Namespace(tools=None, mcp=None, collection=None))


@pytest.mark.parametrize("given", [["--model", "local"], ["--model", "critic=local"]])
def test_a_served_thread_keeps_its_models_and_another_is_refused_before_any_request(given, capsys):
    from graphs.cli import main

    assert main(["resume", "T1", "--server", "http://127.0.0.1:9", *given]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert "A served thread keeps the models and limits it was started with" in said


def test_the_aegra_config_serves_every_team_by_an_existing_absolute_path(tmp_path):
    config = json.loads(aegra.write_config(tmp_path).read_text())
    assert set(config["graphs"]) == set(TEAMS)
    for target in config["graphs"].values():
        path, _, attribute = target.rpartition(":")
        assert Path(path).is_absolute() and Path(path).is_file() and attribute == "make_graph"


def test_only_the_first_worker_migrates_and_the_queue_is_on_with_redis(tmp_path):
    first = aegra.environment({}, tmp_path / "c.json", "postgresql://u:p@h/d", None, migrate=True)
    assert first["RUN_MIGRATIONS_ON_STARTUP"] == "true"
    assert first["REDIS_BROKER_ENABLED"] == "false" and "REDIS_URL" not in first
    other = aegra.environment(
        {"LOG_LEVEL": "INFO"}, tmp_path / "c.json", "postgresql://u:p@h/d", "redis://r:6379/0",
        migrate=False,
    )  # fmt: skip
    assert (
        other["RUN_MIGRATIONS_ON_STARTUP"] == "false" and other["REDIS_URL"] == "redis://r:6379/0"
    )
    assert other["REDIS_BROKER_ENABLED"] == "true" and other["LOG_LEVEL"] == "INFO"
    assert other["AEGRA_CHECKPOINT_DURABILITY"] == "sync"


def test_serve_says_what_it_needs_before_starting_anything(monkeypatch):
    with pytest.raises(TeamgraphError, match="needs Python 3.12"):
        aegra.check_installed()
    args = argparse.Namespace(workers=2, redis=None)
    monkeypatch.delenv("TEAMGRAPH_CHECKPOINT_URL", raising=False)
    with pytest.raises(InputError, match="set TEAMGRAPH_CHECKPOINT_URL"):
        serve_command._settings(args)
    monkeypatch.setenv("TEAMGRAPH_CHECKPOINT_URL", "postgresql://u:secret@db:5432/teamgraph")
    monkeypatch.delenv(serve_command.REDIS_URL_ENV, raising=False)
    with pytest.raises(InputError, match="2 workers share their runs through Redis"):
        serve_command._settings(args)
    with pytest.raises(InputError, match="must look like redis://"):
        serve_command.check_redis("http://u:secret@r:6379")


class _Printing:
    """A worker process that has printed ``text`` and ended."""

    def __init__(self, text):
        self.stdout = io.StringIO(text)
        self.pid = 4242

    def poll(self):
        return 0


def test_what_a_worker_prints_is_relayed_without_the_passwords_of_the_database_and_queue(capsys):
    database = "postgresql://ann:p%40ss-w0rd@db:5432/teamgraph"
    queue = "redis://:q-secret@cache:6379/0"
    printed = (
        f"connecting to {database}\n"
        "\x1b[32mINFO\x1b[0m password p@ss-w0rd refused\n"
        f"broker {queue} up\n"
    )
    workers = Workers(None, lambda _migrate: {}, [database, queue], print)
    worker = Worker(1, _Printing(printed))
    workers._relay(worker)
    said = capsys.readouterr().err
    assert "p@ss-w0rd" not in said and "p%40ss-w0rd" not in said and "q-secret" not in said
    assert said.splitlines() == [
        "[worker 1] connecting to postgresql://ann:***@db:5432/teamgraph",
        "[worker 1] INFO password *** refused",
        "[worker 1] broker redis://:***@cache:6379/0 up",
    ]
    assert list(worker.last_lines)[-1] == "broker redis://:***@cache:6379/0 up"


def test_serve_on_an_older_python_prints_the_install_command_whole(capsys):
    from graphs.cli import main

    assert main(["serve"]) == 1
    said = capsys.readouterr().err
    assert "needs Python 3.12" in said
    assert "pip install -e '.[serve]'" in said


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "A solar kettle", "--team-file", "mine.yaml", "--server", "http://h:8123"],
        ["eval", "--team-file", "mine.yaml", "--server", "http://h:8123"],
    ],
)
def test_a_team_file_with_a_server_is_refused_before_anything_runs(argv, capsys, tmp_path):
    from graphs.cli import main

    (tmp_path / "q.jsonl").write_text('{"question": "q", "answer": "a"}\n')
    if argv[0] == "eval":
        argv = [*argv, "--dataset", str(tmp_path / "q.jsonl")]
    assert main(argv) == 1
    said = capsys.readouterr().err
    assert "--team-file runs the team in this process" in said


def test_a_served_run_names_its_server_in_the_resume_command_it_announces():
    from rich.console import Console

    from graphs.cli.results import announce_thread

    said = io.StringIO()
    console = Console(file=said, width=60)
    announce_thread(console, "T9", False, "http://ann:secret@host:8123")
    announce_thread(console, "T8", False)
    assert said.getvalue().splitlines() == [
        "thread T9 (resume with: teamgraph resume --thread T9 --server http://ann:***@host:8123)",
        "thread T8 (resume with: teamgraph resume --thread T8)",
    ]


def test_what_waits_for_a_person_says_how_to_answer_it_on_the_server_password_hidden():
    from rich.console import Console

    from graphs.cli.results import print_pending

    said = io.StringIO()
    payload = {"kind": "plan_approval", "answer_example": "approve", "how": "Or revise."}
    print_pending(payload, "T9", Console(file=said, width=200), False, "http://a:pw@h:8123")
    assert said.getvalue().splitlines()[-1] == (
        "Waiting for a person. Answer with: teamgraph resume --thread T9 "
        "--server http://a:***@h:8123 --answer approve. Or revise."
    )


@pytest.mark.parametrize("uuids_only", [False, True])
def test_a_named_thread_the_server_keeps_for_another_team_is_refused_before_any_run(
    monkeypatch, uuids_only
):
    on_server = str(uuid.uuid5(THREAD_NAMES, "essay-1")) if uuids_only else "essay-1"
    threads = FakeThreads(uuids_only=uuids_only, known={on_server: "writer"})
    runs = FakeRuns([])
    api = type("Api", (), {"runs": runs, "threads": threads})()
    monkeypatch.setattr("graphs.serving.client.get_sync_client", lambda **_: api)
    with pytest.raises(InputError) as refused:
        served.served_job(TEAMS["react"], {}, {}, "essay-1", URL)
    assert str(refused.value) == (
        f"Thread 'essay-1' on the server at {URL} belongs to the writer team: give this "
        "react request another --thread. Nothing was run."
    )
    assert served.served_job(TEAMS["writer"], {}, {}, "essay-1", URL).thread == "essay-1"
    assert served.served_job(TEAMS["react"], {}, {}, "new-1", URL).thread == "new-1"
    assert runs.created == []


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("notaurl", "'notaurl' is not an http(s) URL"),
        ("ftp://host:21", "'ftp://host:21' is not an http(s) URL"),
        ("http://ann:secret@:8123", "'http://ann:***@:8123' names no host"),
        ("http://host:99999", "'http://host:99999' is not a URL (Port out of range"),
    ],
)
def test_a_server_that_is_no_http_url_is_refused_with_the_arguments(given, says, capsys):
    from graphs.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["write", "tea", "--server", given])
    said = capsys.readouterr().err
    assert exited.value.code == 2 and f"argument --server: {says}" in said
    assert "secret" not in said


def test_a_server_url_with_a_password_is_taken_as_given():
    assert flags.server_url(" https://ann:secret@host:8123 ") == "https://ann:secret@host:8123"
