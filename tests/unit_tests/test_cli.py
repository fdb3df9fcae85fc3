import json

import pytest

import graphs.writer
from graphs.cli import main
from tests.fakes import scripted, swap_build
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict


@pytest.fixture
def fake_team(monkeypatch):
    """Make the CLI's writer team run on scripted models; returns those models."""
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1), draft(2)),
        "critic": scripted(critique(False, 4, "More facts."), critique(True, 8)),
    }
    seen: dict = {}

    def build(requested, **settings):
        seen["requested"], seen["settings"] = requested, settings
        return graphs.writer.build_graph(models, **settings)

    swap_build(monkeypatch, "writer", build)
    return models, seen


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("teamgraph ")


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "write" in capsys.readouterr().err


def test_write_prints_the_piece_and_progress(fake_team, capsys):
    assert main(["write", "why bees matter"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == draft(2)
    assert "Critic asked for changes (score 4/10)" in err
    assert "Critic approved (score 8/10)" in err
    assert "stopped: approved" in err


def test_write_json_has_the_whole_run(fake_team, capsys):
    assert main(["write", "why bees matter", "--json", "--quiet"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["text"] == draft(2)
    assert report["drafts"] == [draft(1), draft(2)]
    assert [c["score"] for c in report["critiques"]] == [4, 8]
    assert report["revisions"] == 1
    assert report["stop_reason"] == "approved"
    assert set(report["models"]) == {"manager", "writer", "critic"}
    assert report["usage"]["critic"]["calls"] == 2
    assert err == ""


def test_model_flags_reach_each_role(fake_team, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    main(
        [
            "write",
            "t",
            "--model",
            "openai:a",
            "--critic-model",
            "openai:b",
            "--max-revisions",
            "2",
            "-q",
        ]
    )
    _, seen = fake_team
    assert seen["requested"] == {"manager": "openai:a", "writer": "openai:a", "critic": "openai:b"}
    given = {key: value for key, value in seen["settings"].items() if value is not None}
    assert given == {"max_revisions": 2}


def test_output_file_gets_the_final_text(fake_team, tmp_path):
    target = tmp_path / "piece.md"
    assert main(["write", "t", "-o", str(target), "-q"]) == 0
    assert target.read_text() == draft(2) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["piece.md"]


def test_failed_run_leaves_the_output_file_untouched(monkeypatch, tmp_path, capsys):
    models = {
        "manager": scripted(PLAN),
        "writer": scripted(*[TimeoutError("read timed out")] * 3),
        "critic": scripted(),
    }
    swap_build(monkeypatch, "writer", lambda _m, **s: graphs.writer.build_graph(models, **s))
    target = tmp_path / "piece.md"
    target.write_text("keep me")
    assert main(["write", "t", "-o", str(target), "-q"]) == 1
    assert "writer model timed out" in capsys.readouterr().err
    assert target.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["piece.md"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["write", "  "], "topic is empty"),
        (["write", "t", "--model", "gpt-4o"], "provider:model"),
        (["write", "t", "--writer-model", "acme:x"], "Unknown model provider 'acme'"),
        (["write", "t", "--critic-model", "openai:gpt-4o-mini"], "set OPENAI_API_KEY"),
        (["write", "t", "--max-revisions", "-1"], "--max-revisions"),
        (["write", "t", "-o", "/no/such/folder/piece.md"], "does not exist"),
    ],
)
def test_bad_input_is_one_clear_line_and_non_zero(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unexpected_errors_do_not_print_a_traceback(monkeypatch, capsys):
    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    swap_build(monkeypatch, "writer", explode)
    assert main(["write", "t"]) == 1
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: boom" in err and "Traceback" not in err


def test_graphs_lists_each_team_with_a_mermaid_diagram(capsys):
    assert main(["graphs"]) == 0
    out = capsys.readouterr().out
    assert "## writer" in out
    assert "```mermaid" in out and "critic -.-> writer;" in out


def test_write_keeps_its_checkpoints_on_a_thread(fake_team, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    assert main(["write", "t", "--thread", "essay-1", "-q"]) == 0
    capsys.readouterr()
    assert main(["threads"]) == 0
    listing = capsys.readouterr().out
    assert "essay-1" in listing and "writer" in listing
