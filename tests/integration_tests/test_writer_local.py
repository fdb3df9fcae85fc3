import json
import os
import subprocess
import sys

import pytest

from graphs.writer import build_graph
from tests.embedded import SMALL_MODEL

ROLES = {"manager", "writer", "critic"}


def test_writer_team_runs_on_the_embedded_model():
    graph = build_graph(max_revisions=1)
    order: list[str] = []
    state: dict = {}
    for mode, payload in graph.stream(
        {"topic": "why bees matter"}, stream_mode=["updates", "values"]
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            state = payload
    assert order[:3] == ["manager_plan", "writer", "critic"]
    assert order[-2:] == ["manager_review", "approve_draft"]
    assert order.count("writer") <= 1 + 1 + 1
    assert state["final_text"].strip()
    assert state["final_text"] == state["drafts"][-1]
    assert state["stop_reason"] in {"approved", "max_revisions", "manager_return_limit"}
    assert state["revisions"] <= 1
    assert all(1 <= c["score"] <= 10 for c in state["critiques"])
    assert state["models"] == dict.fromkeys(ROLES, SMALL_MODEL)
    for role in ROLES:
        assert state["usage"][role]["calls"] >= 1
        assert state["usage"][role]["input_tokens"] > 0
        assert state["usage"][role]["output_tokens"] > 0


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from graphs.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


def test_cli_write_json_offline(tmp_path):
    target = tmp_path / "piece.md"
    result = _cli(
        "write", "the history of tea", "--max-revisions", "0", "--json", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["text"].strip() and target.read_text().strip() == report["text"].strip()
    assert report["models"] == dict.fromkeys(ROLES, SMALL_MODEL)
    assert "Writer wrote" in result.stderr


@pytest.mark.default_model
def test_cli_reports_a_missing_model_file_without_traceback(tmp_path):
    result = _cli("write", "tea", TEAMGRAPH_LOCAL_MODEL_PATH=str(tmp_path / "gone.gguf"))
    assert result.returncode == 1
    assert "gone.gguf is missing" in result.stderr
    assert "Traceback" not in result.stderr
