"""With ``--json``, a command that fails still prints one JSON object on stdout: its error."""

import json

import pytest

from graphs.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path


def failed_json(argv, capsys, code):
    """The one JSON object ``argv`` printed on stdout, having exited with ``code``."""
    assert main(argv) == code
    said = capsys.readouterr()
    report = json.loads(said.out)
    assert report["error"] in " ".join(said.err.split())
    return report


def test_a_team_file_that_cannot_be_read(home, capsys):
    broken = home / "bad.yaml"
    broken.write_text("name: x\nroles: [\n")
    report = failed_json(["check", str(broken), "--json"], capsys, code=2)
    assert report["error"].startswith(f"{broken}:3: the YAML cannot be read")
    assert list(report) == ["error"]


def test_an_unknown_thread(home, capsys):
    report = failed_json(["threads", "nosuch", "--json"], capsys, code=1)
    assert "No thread 'nosuch'" in report["error"]


def test_a_collection_that_does_not_exist(home, capsys):
    report = failed_json(["tools", "--collection", "nope", "--json"], capsys, code=1)
    assert "There is no collection 'nope'" in report["error"]


def test_an_ingest_of_nothing_readable_is_one_object_with_its_summary(home, capsys):
    report = failed_json(["ingest", str(home / "nope"), "--json"], capsys, code=1)
    assert report["error"].startswith("No file could be ingested")
    assert (report["files"], report["skipped"]) == (1, 1)
    assert report["skipped_files"][0]["reason"] == "no such file or folder"
