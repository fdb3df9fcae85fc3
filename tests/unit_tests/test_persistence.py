"""Where threads live, without a server: URLs checked and masked, failures worded, copies whole.

The PostgreSQL parts run against a real server in tests/integration_tests/test_postgres.py.
"""

import json
import sys

import psycopg
import pytest
from langgraph.types import Command

from graphs.threads import postgres
from graphs.threads.database_lock import lock_key
from graphs.threads.location import CHECKPOINT_URL_ENV, checked_url, checkpoint_url
from graphs.threads.migrate import copy_threads
from graphs.threads.postgres_errors import (
    connection_error,
    is_database_error,
    lost_database,
)
from graphs.threads.storage import open_checkpointer, open_store
from graphs.writer import build_graph
from tests.fakes import scripted
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.kernel.errors import InputError, TeamgraphError
from tools.kernel.urls import masked, scrubbed

URL = "postgresql://ann:p%40ss-w0rd@db.example:5433/teamgraph"


def test_a_url_is_shown_with_its_password_hidden_and_the_rest_as_written():
    assert masked(URL) == "postgresql://ann:***@db.example:5433/teamgraph"
    assert masked("postgresql://ann@db/teamgraph") == "postgresql://ann@db/teamgraph"
    assert masked("http://vectors:8000") == "http://vectors:8000"
    said = scrubbed(f"failed for {URL} with password p@ss-w0rd and p%40ss-w0rd", URL)
    assert "p@ss" not in said and "p%40ss" not in said
    assert "postgresql://ann:***@db.example:5433/teamgraph" in said


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://ann:secret@db/teamgraph", "must be a PostgreSQL URL"),
        ("postgresql://ann:secret@db:5432", "names no database"),
        ("postgresql://ann:secret@db:99999/x", "is not a valid URL"),
    ],
)
def test_a_wrong_url_is_refused_in_one_line_without_its_password(url, says):
    with pytest.raises(InputError, match=says) as raised:
        checked_url(url)
    assert "secret" not in str(raised.value) and "\n" not in str(raised.value)


def test_the_sqlite_file_is_the_default_and_the_env_names_postgres(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    monkeypatch.delenv(CHECKPOINT_URL_ENV, raising=False)
    assert checkpoint_url() is None
    assert type(open_checkpointer()).__name__ == "SqliteSaver"
    monkeypatch.setenv(CHECKPOINT_URL_ENV, f"  {URL} ")
    assert checkpoint_url() == URL
    assert type(open_checkpointer(tmp_path / "given.sqlite")).__name__ == "SqliteSaver"


@pytest.mark.parametrize(
    "missing", ["langgraph.checkpoint.postgres", "langgraph.store.postgres", "psycopg"]
)
def test_postgres_without_its_packages_says_what_to_install(monkeypatch, tmp_path, missing):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv(CHECKPOINT_URL_ENV, URL)
    monkeypatch.setitem(sys.modules, missing, None)
    for opening in (open_checkpointer, open_store):
        with pytest.raises(TeamgraphError) as refused:
            opening()
        said = str(refused.value)
        assert said == (
            f"{CHECKPOINT_URL_ENV} names PostgreSQL, but {missing} is not installed: "
            "pip install 'teamgraph[postgres]'"
        )


@pytest.mark.parametrize(
    ("driver_said", "says"),
    [
        (
            'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  '
            'password authentication failed for user "ann"',
            "refused the user or password",
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5433 failed: '
            "Connection refused\n\tIs the server running on that host?",
            "Cannot reach PostgreSQL at db.example:5433 (Connection refused)",
        ),
        (
            "failed to resolve host 'db.example': [Errno -2] Name or service not known",
            "Cannot reach PostgreSQL at db.example:5433",
        ),
        (
            'connection failed: ... failed: FATAL:  database "teamgraph" does not exist',
            "There is no database 'teamgraph' on db.example:5433: create it",
        ),
    ],
)
def test_each_connection_failure_says_what_to_fix_without_the_password(driver_said, says):
    error = connection_error(URL, psycopg.OperationalError(driver_said), CHECKPOINT_URL_ENV)
    assert says in str(error)
    assert "p%40ss" not in str(error) and "p@ss" not in str(error)
    assert CHECKPOINT_URL_ENV in str(error)


def test_a_database_lost_mid_run_is_said_with_the_resume_to_run():
    error = lost_database(URL, psycopg.OperationalError("server closed the connection"), "T1")
    text = str(error)
    assert "stopped answering" in text and "teamgraph resume --thread T1" in text
    assert "ann:***@" in text and "p%40ss" not in text
    assert is_database_error(psycopg.OperationalError("x"))
    assert not is_database_error(OSError("x"))


def test_each_thread_has_its_own_signed_64_bit_lock_key():
    keys = {lock_key(f"thread-{n}") for n in range(1000)}
    assert len(keys) == 1000
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert lock_key("T1") == lock_key("T1")


def writer_team(checkpointer, store, *, approve: bool):
    models = {
        "manager": scripted(PLAN, verdict(True), label="manager"),
        "writer": scripted(draft(1), draft(2), label="writer"),
        "critic": scripted(critique(True, 9), critique(True, 9), label="critic"),
    }
    return build_graph(models, checkpointer=checkpointer, store=store, approve_draft=approve)


def test_a_copy_holds_every_checkpoint_pending_approval_and_ledger(tmp_path):
    source = (open_checkpointer(tmp_path / "a.sqlite"), open_store(tmp_path / "a.sqlite"))
    target = (open_checkpointer(tmp_path / "b.sqlite"), open_store(tmp_path / "b.sqlite"))
    config = {"configurable": {"thread_id": "T1"}}
    writer_team(*source, approve=True).invoke({"topic": "tea"}, config)
    before = writer_team(*source, approve=True)
    heard = []

    copied = copy_threads(source, target, on_thread=lambda t, what: heard.append((t, what)))

    assert copied.threads == ["T1"] and heard == [("T1", "copied")]
    assert copied.checkpoints == len(list(source[0].list(None)))
    assert copied.store_items == 4  # the four model calls of the run's ledger
    after = writer_team(*target, approve=True)
    assert after.get_state(config).values == before.get_state(config).values
    assert [i.value for i in after.get_state(config).interrupts] == [
        i.value for i in before.get_state(config).interrupts
    ]
    history = [s.config["configurable"]["checkpoint_id"] for s in after.get_state_history(config)]
    assert history == [
        s.config["configurable"]["checkpoint_id"] for s in before.get_state_history(config)
    ]
    finished = after.invoke(Command(resume={"action": "approve"}), config)
    assert finished["stop_reason"] == "human_approved"
    assert sum(u["calls"] for u in finished["usage"].values()) == 4


def test_copying_again_leaves_threads_already_there_and_skips_those_refused(tmp_path):
    source = (open_checkpointer(tmp_path / "a.sqlite"), open_store(tmp_path / "a.sqlite"))
    target = (open_checkpointer(tmp_path / "b.sqlite"), open_store(tmp_path / "b.sqlite"))
    for thread in ("T1", "T2"):
        writer_team(*source, approve=False).invoke(
            {"topic": "tea"}, {"configurable": {"thread_id": thread}}
        )
    first = copy_threads(source, target, skip=lambda t: "running now" if t == "T2" else None)
    assert first.threads == ["T1"] and first.left_out == {"T2": "running now"}
    second = copy_threads(source, target)
    assert second.threads == ["T2"] and second.already_there == ["T1"]


def test_doctor_names_where_threads_and_vectors_live_and_never_a_password(monkeypatch, capsys):
    from graphs.cli import checks as doctor_checks
    from graphs.cli import main
    from graphs.cli import storage_checks as checks
    from graphs.threads.postgres_errors import DatabaseError

    monkeypatch.setattr(doctor_checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    monkeypatch.setattr(doctor_checks, "tools_check", lambda: [])

    def unreachable(url, source=CHECKPOINT_URL_ENV):
        raise DatabaseError(f"Cannot reach PostgreSQL at db.example:5433 ({masked(url)})")

    monkeypatch.setattr(checks.postgres, "connect", unreachable)
    monkeypatch.setattr(checks, "server_client", lambda url: url)
    monkeypatch.setenv(CHECKPOINT_URL_ENV, URL)
    monkeypatch.setenv("TEAMGRAPH_CHROMA_URL", "http://ann:chroma-secret@vectors:8000")
    assert main(["doctor", "--json"]) == 1
    out = capsys.readouterr().out
    assert "p%40ss" not in out and "p@ss" not in out and "chroma-secret" not in out
    report = json.loads(out)
    rows = {row["setting"]: row for row in report["settings"]}
    assert rows["threads"]["value"] == masked(URL)
    assert rows["knowledge base"]["value"] == "http://ann:***@vectors:8000"
    found = {check["name"]: check["status"] for check in report["checks"]}
    assert found["threads database"] == "fail" and found["knowledge base"] == "ok"


class _WaitingPool:
    """psycopg's pool as the fail-fast one sees it: each wait for a connection is counted."""

    def __init__(self, give):
        self.conninfo = URL
        self.give = give
        self.waits = 0

    def getconn(self, timeout=None):
        from psycopg_pool import PoolTimeout

        self.waits += 1
        if not self.give:
            raise PoolTimeout("couldn't get a connection after 15.00 sec")
        return "a connection"


def test_once_the_database_is_lost_later_waits_fail_at_once_until_it_answers(monkeypatch):
    from psycopg_pool import PoolTimeout

    answering = [False]
    monkeypatch.setattr(postgres, "answers", lambda _url: answering[0])
    pool = postgres._pool_class(_WaitingPool)(give=False)
    for _ in range(3):
        with pytest.raises(PoolTimeout):
            pool.getconn()
    assert pool.waits == 1, "only the first step waited for the lost database"
    answering[0], pool.give = True, True
    assert pool.getconn() == "a connection" and pool.waits == 2 and not pool.lost


def test_a_wait_that_times_out_while_the_database_answers_does_not_mark_it_lost(monkeypatch):
    from psycopg_pool import PoolTimeout

    monkeypatch.setattr(postgres, "answers", lambda _url: True)
    pool = postgres._pool_class(_WaitingPool)(give=False)
    for _ in range(2):
        with pytest.raises(PoolTimeout):
            pool.getconn()
    assert pool.waits == 2 and not pool.lost


def doctor_checks(monkeypatch, capsys) -> tuple[int, dict]:
    from graphs.cli import checks, main

    monkeypatch.setattr(checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    code = main(["doctor", "--json"])
    return code, {check["name"]: check for check in json.loads(capsys.readouterr().out)["checks"]}


def test_doctor_reads_the_checkpoint_file_and_names_a_damaged_one(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(CHECKPOINT_URL_ENV, raising=False)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    open_checkpointer().conn.close()
    _, found = doctor_checks(monkeypatch, capsys)
    assert found["data folder"]["status"] == found["threads database"]["status"] == "ok"
    with (tmp_path / "checkpoints.sqlite").open("r+b") as file:
        file.write(b"\xff" * 100)
    code, found = doctor_checks(monkeypatch, capsys)
    damaged = found["threads database"]
    assert code == 1 and damaged["status"] == "fail" and damaged["fix"] == ""
    assert damaged["detail"].startswith(f"Cannot use the checkpoint file {tmp_path}")
    assert "\n" not in damaged["detail"]


def test_doctor_blames_a_home_that_is_a_file_and_no_tool_name(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(CHECKPOINT_URL_ENV, raising=False)
    (tmp_path / "home").write_text("not a folder")
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    code, found = doctor_checks(monkeypatch, capsys)
    assert code == 1 and found["data folder"]["status"] == "fail"
    assert found["data folder"]["detail"].startswith(f"{tmp_path / 'home'} is a file")
    assert found["tools"]["fix"] == "" and "threads database" not in found


def test_a_file_where_the_lock_folder_goes_is_said_plainly(tmp_path, monkeypatch):
    from graphs.threads import hold_thread

    monkeypatch.delenv(CHECKPOINT_URL_ENV, raising=False)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    (tmp_path / "locks").write_text("in the way")
    with pytest.raises(TeamgraphError, match="Cannot make the threads' lock folder .*locks"):
        with hold_thread("T1"):
            pass


def test_doctor_reports_a_threads_url_it_cannot_use_instead_of_stopping(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv(CHECKPOINT_URL_ENV, "mysql://db/x")
    code, found = doctor_checks(monkeypatch, capsys)
    unusable = found["threads database"]
    assert code == 1 and unusable["status"] == "fail"
    assert unusable["detail"].startswith(f"{CHECKPOINT_URL_ENV} must be a PostgreSQL URL")
    assert unusable["fix"] == f"fix {CHECKPOINT_URL_ENV}"
