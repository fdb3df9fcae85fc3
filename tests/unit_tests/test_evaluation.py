import argparse
import json
import threading

import pytest
from langchain_core.messages import AIMessage

import graphs.threads.jobs as jobs
from graphs.cli import main
from graphs.evaluation import report as eval_report
from graphs.evaluation.datasets import fanoutqa_dev, jsonl
from graphs.evaluation.runner import baseline_answer, evaluate, team_answer
from graphs.evaluation.scoring import evidence_recall, gold_strings, normalise, score, token_f1
from graphs.registry import team_spec
from tests.fakes import RoutedChatModel, scripted, swap_build
from tools.built_in_tools import Toolbox
from tools.kernel.errors import InputError


def test_normalisation():
    assert normalise("The  Eiffel-Tower!") == "eiffeltower"
    assert normalise("An apple, a day") == "apple day"


def test_scores_on_known_pairs():
    assert score("Paris", ["Paris"]) == {"exact_match": 1.0, "f1": 1.0, "containment": 1.0}
    assert score("It is Paris, France.", ["Paris"])["exact_match"] == 0.0
    assert score("It is Paris, France.", ["Paris"])["containment"] == 1.0
    assert token_f1("Paris France", "Paris") == pytest.approx(2 / 3)
    mixed = score(
        "Burrell bats right, Mulder left", ["Pat Burrell", "Right", "Mark Mulder", "Left"]
    )
    assert mixed["containment"] == 0.5
    assert score("", ["x"]) == {"exact_match": 0.0, "f1": 0.0, "containment": 0.0}


def test_gold_strings_flatten_fanoutqa_answers():
    assert gold_strings({"Pat Burrell": "Right", "N": 61.6}) == [
        "Pat Burrell",
        "Right",
        "N",
        "61.6",
    ]
    assert gold_strings([1, "a"]) == ["1", "a"]
    assert gold_strings(True) == ["yes"]


def test_fanoutqa_dev_has_310_questions():
    questions = fanoutqa_dev()
    assert len(questions) == 310 and all(q["gold"] for q in questions)


def test_a_malformed_jsonl_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "qs.jsonl"
    path.write_text('{"question": "a?", "answer": "b"}\n\n{"question": "c?"}\n')
    with pytest.raises(InputError, match=r"line 3: .*missing 'answer'"):
        jsonl(path)
    path.write_text('{"question": "a?", "answer": "b"}\nnot json\n')
    with pytest.raises(InputError, match="line 2"):
        jsonl(path)


def two_questions(folder):
    """A dataset file of two questions, France's capital and the largest planet."""
    dataset = folder / "qs.jsonl"
    dataset.write_text(
        '{"question": "Capital of France?", "answer": "Paris"}\n'
        '{"question": "Largest planet?", "answer": "Jupiter"}\n'
    )
    return dataset


def test_two_question_eval_end_to_end_with_reports(tmp_path, monkeypatch, capsys):
    dataset = two_questions(tmp_path)
    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Pick the tool", json.dumps({"reason": "known", "tool": "internal_knowledge"})),
            ("Answer the sub-task", lambda p: "Paris" if "France" in p else "Jupiter"),
            (
                "You write the final answer",
                lambda p: "Paris" if "France" in p.split("Question:")[-1] else "Jupiter",
            ),
            (
                "Answer the question directly",
                lambda p: "I think Lyon" if "France" in p else "Jupiter",
            ),
        ]
    )
    set_up = []
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([], []))
    monkeypatch.setattr(
        "agents.llm.models.load_chat_model", lambda _name: set_up.append("model") or model
    )
    preload = eval_report.preload_charts
    monkeypatch.setattr(eval_report, "preload_charts", lambda: set_up.append("charts") or preload())
    real_build = swap_build(
        monkeypatch,
        "research",
        lambda models, **kw: (
            set_up.append("team") or real_build(dict.fromkeys(models, model), **kw)
        ),
    )
    out = tmp_path / "report"
    assert (
        main(["eval", "--dataset", str(dataset), "--limit", "2", "--out", str(out), "--json"]) == 0
    )
    assert set_up[:3] == ["team", "model", "charts"]  # the charts load beside the questions
    printed = json.loads(capsys.readouterr().out)
    assert printed["summary"]["team"]["exact_match"] == 1.0
    assert printed["summary"]["baseline"]["exact_match"] == 0.5
    report = json.loads((out / "eval.json").read_text())
    assert [row["team"]["answer"] for row in report["rows"]] == ["Paris", "Jupiter"]
    assert report["rows"][0]["baseline"]["calls"] == 1 and report["rows"][0]["team"]["calls"] == 3
    assert "| team | 1.000 |" in (out / "eval.md").read_text()
    assert (out / "eval.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_bad_dataset(capsys):
    assert main(["eval", "--dataset", "nope.jsonl"]) == 1
    assert "No dataset 'nope.jsonl'" in capsys.readouterr().err


def test_evidence_recall_is_the_share_of_gold_pages_among_the_sources_used():
    used = ["2022 FIFA World Cup", "Lionel  Messi"]
    assert evidence_recall(used, ["Lionel Messi", "Argentina national football team"]) == 0.5
    assert evidence_recall([], ["Lionel Messi"]) == 0.0
    assert evidence_recall(used, []) is None


def test_fanoutqa_questions_carry_their_evidence_pages():
    first = fanoutqa_dev()[0]
    assert first["evidence"][:2] == ["1998 Major League Baseball draft", "Pat Burrell"]
    assert all(q["evidence"] for q in fanoutqa_dev())


class _FinishedRun:
    """A team's graph that has already answered: its final state, as invoke returns it."""

    def __init__(self, state):
        self.state = state

    def invoke(self, _input):
        return self.state


def test_the_team_is_credited_with_the_pages_it_used_and_one_call_with_none():
    item = {
        "id": "1",
        "question": "Who captained the 2022 winners?",
        "gold": ["Lionel Messi"],
        "evidence": ["2022 FIFA World Cup", "Lionel Messi"],
    }
    state = {
        "answer": "Lionel Messi [1].",
        "citations": [{"number": 1, "title": "Lionel Messi"}],
        "sources": [{"title": "Lionel Messi"}, {"title": "Argentina"}],
        "stop_reason": "sufficient",
        "usage": {},
    }
    attempt = team_answer(team_spec("research"), _FinishedRun(state), item)
    assert attempt["evidence_recall"] == 0.5 and attempt["sources"] == ["Lionel Messi", "Argentina"]
    baseline = baseline_answer(scripted([AIMessage("Messi")]), item, "scripted")
    assert baseline["evidence_recall"] == 0.0 and baseline["sources"] == []


CAPITALS = {
    "France": "Paris",
    "Japan": "Tokyo",
    "Peru": "Lima",
    "Kenya": "Nairobi",
    "Chad": "N'Djamena",
}


def capital_model(delay_s: float = 0.0) -> RoutedChatModel:
    """Answers by the country named last in the prompt: the same reply at any concurrency."""

    def country(prompt: str) -> str:
        asked = prompt.split("Question:")[-1]
        return max(CAPITALS, key=lambda name: asked.rfind(name))

    return RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Pick the tool", json.dumps({"reason": "known", "tool": "internal_knowledge"})),
            ("Answer the sub-task", lambda p: CAPITALS[country(p)]),
            ("You write the final answer", lambda p: CAPITALS[country(p)]),
            ("Answer the question directly", lambda p: f"Maybe {CAPITALS[country(p)][:3]}"),
        ],
        delay_s=delay_s,
    )


def capital_questions():
    return [
        {"id": str(n), "question": f"Question: capital of {c}?", "gold": [g], "evidence": []}
        for n, (c, g) in enumerate(CAPITALS.items())
    ]


def test_scores_and_rows_are_the_same_at_every_concurrency():
    spec = team_spec("research")
    results = {}
    for concurrency in (1, 2, 4):
        model = capital_model(delay_s=0.02)
        graph = spec.build_graph(dict.fromkeys(spec.roles, model), tools=[])
        heard = []
        rows = evaluate(
            capital_questions(), spec, graph, model, "routed", heard.append, concurrency=concurrency
        )
        assert sorted(r["id"] for r in heard) == [r["id"] for r in rows]
        results[concurrency] = [
            (
                r["id"],
                r["team"]["answer"],
                r["team"]["scores"],
                r["team"]["calls"],
                r["baseline"]["answer"],
                r["baseline"]["scores"],
            )
            for r in rows
        ]
        if concurrency > 1:
            assert model.peak > 1, "questions ran one at a time"
    assert results[1] == results[2] == results[4]
    assert [row[0] for row in results[1]] == ["0", "1", "2", "3", "4"]
    assert all(row[2]["exact_match"] == 1.0 for row in results[1])


@pytest.mark.parametrize("suite", [[], ["--suite", "support"]])
def test_an_out_folder_that_cannot_be_written_is_said_before_any_question(
    tmp_path, monkeypatch, capsys, suite
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(
        "agents.llm.models.load_chat_model", lambda _name: pytest.fail("no model is asked")
    )
    dataset = ["--dataset", str(two_questions(tmp_path))] if not suite else []
    argv = ["eval", *suite, *dataset, "--limit", "1", "--out", str(blocked / "reports")]
    assert main(argv) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [
        f"error: Cannot write to {blocked / 'reports'}: it cannot be made or written in "
        "(Not a directory). Choose another --out."
    ]


def test_a_concurrency_below_one_is_refused_naming_the_flag(capsys):
    assert main(["eval", "--concurrency", "0", "--limit", "1"]) == 1
    assert "--concurrency must be 1 or more (got 0)" in capsys.readouterr().err


class _MeetingRuns:
    """A team's graph whose runs wait for ``count`` of them to be under way at once."""

    def __init__(self, count):
        self.together = threading.Barrier(count, timeout=10)

    def invoke(self, request):
        self.together.wait()
        question = next(iter(request.values()))
        return {"answer": f"answer to {question}", "citations": [], "sources": [], "usage": {}}


def test_eval_concurrency_works_on_that_many_questions_at_once_and_keeps_their_order():
    items = [
        {"id": str(n), "question": f"question {n}", "gold": ["x"], "evidence": []} for n in range(6)
    ]
    baseline = RoutedChatModel(rules=[("Answer the question directly", "x")])
    rows = evaluate(
        items, team_spec("research"), _MeetingRuns(3), baseline, "routed", concurrency=3
    )
    assert [row["team"]["answer"] for row in rows] == [f"answer to question {n}" for n in range(6)]
    assert [row["baseline"]["answer"] for row in rows] == ["x"] * 6


def test_eval_of_a_team_file_against_one_call_writes_the_usual_report(
    tmp_path, monkeypatch, capsys
):
    from agents.llm import models as model_plumbing
    from tests.unit_tests.team_file_script import EXAMPLES, vote

    dataset = two_questions(tmp_path)
    model = RoutedChatModel(
        rules=[
            ("short, exact answer", lambda p: vote("Paris" if "France" in p else "Jupiter")),
            ("Answer the question directly", lambda p: "Lyon" if "France" in p else "Jupiter"),
        ]
    )
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(model_plumbing, "load_chat_model", lambda _setting: model)
    monkeypatch.setattr("agents.llm.models.load_chat_model", lambda _setting: model)
    out = tmp_path / "report"
    team_file = str(EXAMPLES / "more-agents-vote.yaml")
    argv = ["eval", "--team-file", team_file, "--questions", str(dataset), "--out", str(out)]
    assert main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["team"] == "more-agents-vote"
    assert printed["summary"]["team"]["exact_match"] == 1.0
    assert printed["summary"]["baseline"]["exact_match"] == 0.5
    report = json.loads((out / "eval.json").read_text())
    assert [row["team"]["calls"] for row in report["rows"]] == [5, 5]
    assert [row["baseline"]["calls"] for row in report["rows"]] == [1, 1]
    assert len(model.calls) == 12
    assert (out / "eval.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        ([], "openai:from-env", "openai:from-env"),
        (["--model", "openai:from-flag"], "openai:from-env", "openai:from-flag"),
        ([], "", "local"),
    ],
)
def test_eval_measures_the_model_the_flag_or_teamgraph_model_names(
    flag, env, expected, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("TEAMGRAPH_MODEL", env)
    monkeypatch.setenv("OPENAI_API_KEY", "unused")
    monkeypatch.chdir(tmp_path)
    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Pick the tool", json.dumps({"reason": "known", "tool": "internal_knowledge"})),
            ("", "Paris"),
        ]
    )
    loaded, built = [], []
    monkeypatch.setattr(jobs, "toolbox", lambda *_, **__: Toolbox([], []))
    monkeypatch.setattr(
        "agents.llm.models.load_chat_model",
        lambda name: (isinstance(name, str) and loaded.append(name)) or model,
    )
    real_build = swap_build(
        monkeypatch,
        "research",
        lambda models, **kw: (
            built.append(set(models.values())) or real_build(dict.fromkeys(models, model), **kw)
        ),
    )
    out = tmp_path / "report"
    argv = ["eval", "--dataset", str(two_questions(tmp_path)), "--limit", "1", "--out", str(out)]
    assert main([*argv, "--json", *flag]) == 0
    assert loaded == [expected] and built == [{expected}]
    assert json.loads(capsys.readouterr().out)["model"] == expected


def test_ctrl_c_keeps_the_report_of_the_questions_answered(tmp_path):
    from graphs.cli.evaluate import _keep_finished

    model = RoutedChatModel(
        rules=[
            ("You decide how to answer", json.dumps({"reason": "simple", "type": "A"})),
            ("Pick the tool", json.dumps({"reason": "known", "tool": "internal_knowledge"})),
            ("", "Paris"),
        ]
    )
    spec = team_spec("research")
    graph = spec.build_graph(dict.fromkeys(spec.roles, model), tools=[])
    rows = evaluate(jsonl(two_questions(tmp_path))[:1], spec, graph, model, "openai:kept")
    args = argparse.Namespace(out=tmp_path / "report", team="research", dataset="qs.jsonl")
    message = _keep_finished(rows, args, "openai:kept")
    assert message == f"1 question(s) answered; their report is in {tmp_path / 'report'}"
    report = json.loads((tmp_path / "report" / "eval.json").read_text())
    assert report["questions"] == 1 and report["model"] == "openai:kept"
    assert _keep_finished([], args, "openai:kept").endswith("nothing was written")
