"""The support database: schema and migrations, the demo, scoped reads, read-only tools, bad files."""

import sqlite3

import pytest

from graphs.evaluation.support_suite import load_suite
from tests.unit_tests.support_script import demo_database, rows
from tools.kernel.errors import InputError, TeamgraphError
from tools.support_db import database
from tools.support_db.billing import data_report, disputes, refundable
from tools.support_db.database import DatabaseLocked, connected, open_database
from tools.support_db.lookups import account_tools, diagnosis_tools
from tools.support_db.records import CustomerRecords, UnknownCustomer
from tools.support_db.schema import MIGRATIONS, SCHEMA_VERSION
from tools.support_db.setup import init_database


@pytest.fixture
def db(tmp_path):
    return demo_database(tmp_path)


def dump(path):
    connection = sqlite3.connect(str(path))
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def test_the_demo_is_the_same_every_time_and_has_over_200_customers(tmp_path):
    first = init_database(tmp_path / "a.sqlite", demo=True)
    second = init_database(tmp_path / "b.sqlite", demo=True)
    assert first.customers == second.customers == 240
    assert first.schema_version == SCHEMA_VERSION
    assert dump(first.path) == dump(second.path)


def test_the_demo_plants_the_cases_the_suite_asks_about(db):
    with connected(db) as connection:
        duplicate = CustomerRecords(connection, "C1001")
        assert [d["kind"] for d in disputes(duplicate)] == ["duplicate"]
        assert refundable(duplicate, "B1001-2025-06") == 45.0
        assert duplicate.outages()[0]["ended"] is None
        assert [d["kind"] for d in disputes(CustomerRecords(connection, "C1003"))] == [
            "unsubscribed_add_on"
        ]
        assert disputes(CustomerRecords(connection, "C1005"))[0]["amount"] == 10.0
        assert data_report(CustomerRecords(connection, "C1010"))[0]["over_limit"]
        assert CustomerRecords(connection, "C1008").free_slots() == []
        assert CustomerRecords(connection, "C1013").lines()[0]["status"] == "suspended"
        assert CustomerRecords(connection, "C1011").profile()["contract_end"] < "2025-06-15"
        assert CustomerRecords(connection, "C1006").devices()[0]["status"] == "offline"
        assert disputes(CustomerRecords(connection, "C1014")) == []
    assert rows(db, "SELECT COUNT(*) AS n FROM refunds")[0]["n"] == 0


def test_every_suite_ticket_names_rows_of_the_demo(db):
    with connected(db) as connection:
        for ticket in load_suite():
            records = CustomerRecords(connection, ticket.customer)
            for expected in ticket.expected_actions:
                if "bill_id" in expected.args:
                    assert records.bill(expected.args["bill_id"]), ticket.id
                if "line_id" in expected.args:
                    assert records.line(expected.args["line_id"]), ticket.id
            if ticket.private_of:
                CustomerRecords(connection, ticket.private_of)


def build_version(path, version):
    connection = sqlite3.connect(str(path), isolation_level=None)
    for migration in MIGRATIONS[:version]:
        for statement in migration.statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {migration.version}")
    connection.execute("INSERT INTO plans VALUES ('P-X', 'Old plan', 'mobile', 9.0, 1.0, 12)")
    connection.close()


def test_an_older_schema_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    build_version(path, 1)
    report = init_database(path)
    assert report.migrated and not report.created and report.schema_version == SCHEMA_VERSION
    assert rows(path, "SELECT name FROM plans") == [{"name": "Old plan"}]
    assert rows(path, "SELECT COUNT(*) AS n FROM credits") == [{"n": 0}]
    assert "rating" in {r["name"] for r in rows(path, "PRAGMA table_info(tickets)")}


def test_a_newer_schema_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "new.sqlite"
    build_version(path, len(MIGRATIONS))
    sqlite3.connect(str(path)).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = dump(path)
    with pytest.raises(TeamgraphError, match="newer than this teamgraph knows"):
        open_database(path)
    assert dump(path) == before


def test_files_that_are_not_support_databases_are_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(str(other)).execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(InputError, match="not a teamgraph support database"):
        open_database(other)
    with pytest.raises(InputError, match="not a teamgraph support database"):
        init_database(other, demo=True)
    text = tmp_path / "notes.txt"
    text.write_text("just text, not SQLite " * 100)
    with pytest.raises(TeamgraphError, match="Cannot use the support database"):
        open_database(text)
    assert text.read_text().startswith("just text")


def test_a_missing_database_says_how_to_create_one(tmp_path):
    with pytest.raises(InputError, match="teamgraph support init --demo"):
        open_database(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()


def test_the_demo_never_replaces_a_database_of_other_customers(tmp_path, db):
    with connected(db) as connection:
        connection.execute("UPDATE meta SET value = 'crm' WHERE key = 'dataset'")
    before = dump(db)
    with pytest.raises(InputError, match="not the demo's"):
        init_database(db, demo=True)
    assert dump(db) == before


def test_a_demo_database_is_rebuilt_from_scratch(db):
    with connected(db) as connection:
        connection.execute("DELETE FROM charges")
    assert init_database(db, demo=True).customers == 240
    assert rows(db, "SELECT COUNT(*) AS n FROM charges")[0]["n"] > 900


def test_a_locked_database_is_reported_without_waiting_forever(db, monkeypatch):
    monkeypatch.setattr(database, "LOCK_WAIT_S", 0.1)
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked, match="locked by another process"):
            with connected(db) as connection:
                with database.transaction(connection, db):
                    connection.execute("DELETE FROM refunds")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_reads_only_ever_return_the_given_customers_rows(db):
    with connected(db) as connection:
        records = CustomerRecords(connection, "C1002")
        assert records.bill("B1001-2025-06") is None
        assert records.charges("B1001-2025-06") == []
        assert records.line("L1001-1") is None
        assert refundable(records, "B1001-2025-06") == 0.0
        assert {b["customer_id"] for b in records.bills()} == {"C1002"}
        assert {c["customer_id"] for c in records.charges()} == {"C1002"}
        with pytest.raises(UnknownCustomer, match="No customer 'C9999'"):
            CustomerRecords(connection, "C9999")


def test_an_unknown_customer_is_said_back_with_the_id_meant_or_the_ids_there_are(db):
    with connected(db) as connection:
        with pytest.raises(UnknownCustomer) as lower:
            CustomerRecords(connection, "c1002")
        with pytest.raises(UnknownCustomer) as missing:
            CustomerRecords(connection, "C9999")
        count, first, last = connection.execute(
            "SELECT COUNT(*), MIN(customer_id), MAX(customer_id) FROM customers"
        ).fetchone()
    assert str(lower.value) == (
        "No customer 'c1002' in the support database: did you mean 'C1002'?"
    )
    assert str(missing.value) == (
        "No customer 'C9999' in the support database: check the id "
        f"(its {count} ids run from {first} to {last})."
    )


def test_the_tools_take_no_customer_and_show_only_that_customers_rows(db):
    other = rows(
        db, "SELECT name, email, phone, address FROM customers WHERE customer_id = 'C1003'"
    )[0]
    for tool in [*account_tools(db, "C1029"), *diagnosis_tools(db, "C1029")]:
        assert not tool.args, tool.name
        message = tool.invoke({"name": tool.name, "args": {}, "id": "1", "type": "tool_call"})
        assert not any(str(value) in message.content for value in other.values()), tool.name
        for source in message.artifact:
            table, _, key = source["chunk_id"].partition("/")
            if table in ("customers", "bills", "lines", "devices", "payments", "charges"):
                assert "1029" in key, source


def test_the_tools_read_through_a_connection_that_refuses_writes(db):
    with connected(db, read_only=True) as connection:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM refunds")
