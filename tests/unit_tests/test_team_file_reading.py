"""Reading a team file: every problem is one line naming the file, the line and the key,
exit code 2, before any model is built or called; ``new`` writes files ``check`` accepts."""

import json

import pytest

from agents.llm import models
from graphs.cli import main
from graphs.teamfile import load_team_file
from graphs.teamfile.shapes import SHAPES
from tests.unit_tests.team_file_script import EXAMPLES, write_team
from tools.kernel.errors import TeamFileError


@pytest.fixture(autouse=True)
def no_model(monkeypatch, tmp_path):
    """Reading a file never builds a model."""
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))

    def refuse(setting):
        raise AssertionError(f"a model was built: {setting}")

    monkeypatch.setattr(models, "load_chat_model", refuse)
    monkeypatch.setattr(models, "_build_chat_model", refuse)


ROLE = "    role: You write.\n"
BAD = {
    "unknown shape": (
        "name: t\nshape: paralel\nroles:\n  - name: a\n" + ROLE,
        ":2: shape: 'paralel' is not allowed",
    ),
    "unknown key": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "    tols: [wikipedia]\n",
        ":6: roles[0].tols: unknown key (did you mean tools?)",
    ),
    "misspelt key that is required": (
        "name: t\nshape: sequential\nrolez:\n  - name: a\n" + ROLE,
        ":3: rolez: unknown key (did you mean roles?)",
    ),
    "unknown tool": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "    tools: [wikipdia]\n",
        ":6: roles[0].tools: No tool named 'wikipdia'",
    ),
    "one tool not in a list": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "    tools: wikipedia\n",
        ":6: roles[0].tools: takes a list: write [wikipedia]",
    ),
    "unknown team": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n    team: nosuch\n",
        ":5: roles[0].team: 'nosuch' is not a team a role can be",
    ),
    "unknown provider": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "    model: nope:x\n",
        ":6: roles[0].model: Unknown model provider 'nope'",
    ),
    "duplicate role": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "  - name: a\n" + ROLE,
        ":6: roles[1].name: two roles are named 'a'",
    ),
    "merge without aggregator": (
        "name: t\nshape: broadcast\naggregate: merge\nroles:\n  - name: a\n" + ROLE,
        ":3: aggregate: merge needs an aggregator",
    ),
    "neither role nor team": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n  - name: b\n" + ROLE,
        ":4: roles[0]: a needs role (what it does, in a sentence), team",
    ),
    "role and team": (
        "name: t\nshape: sequential\nroles:\n  - name: a\n" + ROLE + "    team: research\n",
        ":6: roles[0].team: a has role and team: give it only one",
    ),
    "key given twice": (
        "name: t\nshape: sequential\nshape: broadcast\nroles:\n  - name: a\n" + ROLE,
        ":3: shape: is given twice (first on line 2)",
    ),
    "a built-in team's name": (
        "name: research\nshape: sequential\nroles:\n  - name: a\n" + ROLE,
        ":1: name: 'research' is a built-in team",
    ),
    "yaml error": ("name: t\nshape: sequential\nroles: [\n  - name: a\n", ":4: the YAML cannot"),
    "not a mapping": ("- just\n- a list\n", ":1: the file must be a mapping"),
    "missing file": (None, "no such team file"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_team_file_is_one_line_naming_file_line_and_key_exit_2(tmp_path, capsys, case):
    text, said = BAD[case]
    path = tmp_path / "team.yaml"
    if text is not None:
        path.write_text(text)
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert said in err and str(path) in err, err
    assert "Traceback" not in err and not out
    assert err.count("error:") == 1


def test_a_bad_team_file_is_refused_by_run_before_any_thread_or_model(tmp_path, capsys):
    path = tmp_path / "team.yaml"
    path.write_text(BAD["unknown shape"][0])
    assert main(["run", "--team-file", str(path), "hello"]) == 2
    assert "shape: 'paralel' is not allowed" in capsys.readouterr().err
    assert main(["threads", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_a_cycle_of_team_files_is_refused(tmp_path):
    write_team(
        tmp_path,
        "one",
        "name: one\nshape: sequential\nroles:\n  - name: x\n    team_file: two.yaml\n",
    )
    write_team(
        tmp_path,
        "two",
        "name: two\nshape: sequential\nroles:\n  - name: y\n    team_file: one.yaml\n",
    )
    with pytest.raises(
        TeamFileError,
        match=r"two\.yaml:5: roles\[0\]\.team_file: a team "
        r"cannot contain itself \(one\.yaml -> two\.yaml -> one\.yaml\)",
    ):
        load_team_file(tmp_path / "one.yaml")


@pytest.mark.parametrize("shape", SHAPES)
def test_new_writes_a_commented_file_of_each_shape_that_check_accepts(tmp_path, capsys, shape):
    path = tmp_path / f"mine-{shape}.yaml"
    assert main(["new", f"mine-{shape}", "--shape", shape, "-o", str(path)]) == 0
    text = path.read_text()
    assert f"shape: {shape}" in text and text.count("#") >= 3
    capsys.readouterr()
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "```mermaid" in out and f"({shape}) is ready to run" in out
    assert main(["new", f"mine-{shape}", "-o", str(path)]) == 1, "never over an existing file"


def test_new_into_a_folder_that_does_not_exist_says_so_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "missing" / "mine.yaml"
    assert main(["new", "mine", "-o", str(path)]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert said == f"error: Cannot write to {path}: the folder {path.parent} does not exist."
    assert not path.parent.exists()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_accepted_and_its_diagram_shows_its_roles(path, capsys):
    assert main(["check", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    for row in shown["roles"]:
        assert f"\t{row['role']}(" in shown["mermaid"], row["role"]
