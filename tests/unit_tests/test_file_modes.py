"""Files teamgraph writes (the WAV and MIDI of compose, reports, -o files) get the modes the
user's umask gives new files, and a replaced file keeps its own."""

import os
import stat

import pytest

from tools.kernel.files import write_all_atomically, write_atomically


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    write_all_atomically({tmp_path / "piece.wav": b"RIFF", tmp_path / "piece.mid": b"MThd"})
    write_atomically(tmp_path / "eval.md", "# report\n")
    assert {mode(p) for p in tmp_path.iterdir()} == {expected}


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    target = tmp_path / "eval.json"
    target.write_text("{}")
    target.chmod(0o640)
    write_atomically(target, '{"new": true}')
    assert mode(target) == 0o640 and target.read_text() == '{"new": true}'


def test_evaluation_reports_follow_the_umask(tmp_path, umask):
    from graphs.evaluation.report import write_reports

    umask(0o022)
    attempt = {
        "answer": "Paris",
        "scores": {"exact_match": 1.0, "f1": 1.0, "containment": 1.0},
        "calls": 1,
        "input_tokens": 3,
        "output_tokens": 1,
        "seconds": 0.1,
        "cost_usd": None,
        "error": "",
    }
    row = {
        "id": "q",
        "question": "Capital?",
        "gold": ["Paris"],
        "team": attempt,
        "baseline": attempt,
    }
    meta = {"team": "research", "dataset": "x", "questions": 1, "model": "local"}
    paths = write_reports([row], meta, tmp_path / "out")
    assert {mode(path) for path in paths.values()} == {0o644}
