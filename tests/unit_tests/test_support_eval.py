"""The support suite: its tickets, pass^k, the scorer (100% for a desk that does what is
expected, less for one that does not), and the reports of `teamgraph eval --suite support`."""

import argparse
import json
from collections import Counter

import pytest
from langgraph.checkpoint.memory import InMemorySaver

import graphs.support
from graphs.cli import main, support_eval
from graphs.evaluation.support_runner import run_suite
from graphs.evaluation.support_scoring import pass_hat, pass_hat_k
from graphs.evaluation.support_suite import CATEGORIES, load_suite
from tests.fakes import swap_build
from tests.unit_tests.support_oracle import oracle
from tests.unit_tests.support_script import (
    RESOLUTION,
    WRITER,
    action,
    demo_database,
    desk_model,
    proposal,
    rows,
)
from tools.kernel.errors import InputError


def use(monkeypatch, model, set_up=None, asked=None):
    """The desk runs on ``model``; ``set_up`` (a list) hears "team" when the desk is built.

    ``asked`` (a list) gets the models the command asked the desk to run on.
    """

    def build(models, **settings):
        if set_up is not None:
            set_up.append("team")
        if asked is not None:
            asked.append(set(models.values()))
        return graphs.support.build_graph(dict.fromkeys(graphs.support.ROLES, model), **settings)

    swap_build(monkeypatch, "support", build)


@pytest.mark.parametrize(
    ("successes", "k", "expected"),
    [
        ([True, True, False], 1, 2 / 3),
        ([True, True, False], 2, 1 / 3),
        ([True, True, False], 3, 0.0),
        ([True, True], 2, 1.0),
        ([False, True, True, True], 2, 3 / 6),
    ],
)
def test_pass_hat_k_is_the_chance_that_k_drawn_trials_all_succeed(successes, k, expected):
    assert pass_hat_k(successes, k) == pytest.approx(expected)


def test_pass_hat_averages_over_tasks_and_never_rises_with_k():
    figures = pass_hat({"a": [True, True], "b": [True, False], "c": [False, False]}, 2)
    assert figures == {"pass^1": 0.5, "pass^2": pytest.approx(1 / 3, abs=1e-4)}
    with pytest.raises(ValueError, match="k must be"):
        pass_hat_k([True], 2)


def test_the_suite_covers_every_category_with_adversarial_tickets():
    tickets = load_suite()
    counts = Counter(t.category for t in tickets)
    assert len(tickets) >= 40 and set(counts) == set(CATEGORIES)
    assert counts["adversarial"] >= 5
    assert any(t.private_of for t in tickets)
    assert any(t.approval == "reject" for t in tickets) and any(t.rating <= 2 for t in tickets)


def test_a_malformed_suite_line_is_named(tmp_path):
    path = tmp_path / "suite.jsonl"
    path.write_text(
        json.dumps({"id": "a", "category": "billing", "customer": "C1", "ticket": "t"})
        + '\n{"id": "b", "category": "weather", "customer": "C1", "ticket": "t"}\n'
    )
    with pytest.raises(InputError, match=r"line 2: not a support ticket \(category"):
        load_suite(path)


def test_a_desk_doing_what_the_suite_expects_scores_100_percent(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    set_up = []
    use(monkeypatch, oracle(), set_up)
    preload = support_eval.preload_charts
    monkeypatch.setattr(
        support_eval, "preload_charts", lambda: set_up.append("charts") or preload()
    )
    out = tmp_path / "report"
    assert main(["eval", "--suite", "support", "--trials", "2", "--out", str(out)]) == 0
    assert set_up == ["team", "charts"]  # the chart library loads beside the tickets
    printed = capsys.readouterr().out
    print(printed)
    report = json.loads((out / "eval.json").read_text())
    assert report["tickets"] == len(load_suite()) and report["trials"] == 2
    assert len(report["rows"]) == 2 * report["tickets"]
    for category in (*CATEGORIES, "all"):
        figures = report["summary"][category]
        assert (figures["pass^1"], figures["pass^2"]) == (1.0, 1.0), category
        assert figures["calls"] > 0 and figures["errors"] == 0
    assert "| adversarial |" in printed and (out / "eval.png").stat().st_size > 0
    assert (out / "eval.md").read_text() in printed


def test_a_desk_that_does_nothing_fails_the_tickets_that_need_an_action(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEAMGRAPH_MODEL", "openai:named-by-env")
    monkeypatch.setenv("OPENAI_API_KEY", "unused")
    asked = []
    use(monkeypatch, desk_model(), asked=asked)
    out = tmp_path / "report"
    assert main(["eval", "--suite", "support", "--out", str(out), "--json"]) == 0
    assert asked == [{"openai:named-by-env"}]
    report = json.loads((out / "eval.json").read_text())
    results = {row["id"]: row for row in report["rows"]}
    assert not results["billing-01"]["passed"]
    assert "missing refunds" in results["billing-01"]["failures"][0]
    assert results["account-01"]["passed"] and results["adversarial-01"]["passed"]
    assert not results["other-01"]["passed"]
    assert 0 < report["summary"]["all"]["pass^1"] < 1
    assert json.loads(capsys.readouterr().out)["summary"]["all"]["tickets"] == len(results)


def test_showing_another_customers_details_fails_the_ticket(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    email = rows(demo_database(tmp_path), "SELECT email FROM customers WHERE customer_id = 'C1003'")
    [ticket] = [t for t in load_suite() if t.id == "adversarial-02"]
    leaky = oracle([ticket])
    leaky.rules[-1] = (WRITER, f"Her email is {email[0]['email']}.")
    graph = graphs.support.build_graph(
        dict.fromkeys(graphs.support.ROLES, leaky), checkpointer=InMemorySaver()
    )
    [result] = run_suite(graph, [ticket], 1)
    assert not result["passed"]
    assert result["failures"] == [f"showed C1003's {email[0]['email']!r}"]


def test_a_change_the_ticket_does_not_expect_fails_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    [ticket] = [t for t in load_suite() if t.id == "account-01"]
    busy = oracle([ticket])
    technician = proposal(action("book_technician", reason="just in case"))
    busy.rules[3] = (RESOLUTION, technician)
    graph = graphs.support.build_graph(
        dict.fromkeys(graphs.support.ROLES, busy), checkpointer=InMemorySaver()
    )
    [result] = run_suite(graph, [ticket], 1)
    assert result["actions"] == ["book_technician: done"]
    assert not result["passed"] and result["failures"][0].startswith(
        "unexpected appointments row AP-"
    )


def test_a_long_suite_keeps_no_finished_trial_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    tickets = [t for t in load_suite() if t.id in ("account-01", "billing-01")]
    saver = InMemorySaver()
    graph = graphs.support.build_graph(
        dict.fromkeys(graphs.support.ROLES, oracle(tickets)), checkpointer=saver
    )
    results = run_suite(graph, tickets, 2)
    assert [r["passed"] for r in results] == [True] * 4
    assert list(saver.list(None)) == []


def test_ctrl_c_keeps_the_report_of_the_finished_trials(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    tickets = [t for t in load_suite() if t.id in ("account-01", "billing-01")]
    graph = graphs.support.build_graph(
        dict.fromkeys(graphs.support.ROLES, oracle(tickets)), checkpointer=InMemorySaver()
    )
    results = run_suite(graph, tickets, 2)[:3]
    args = argparse.Namespace(out=tmp_path / "report", model="local")
    message = support_eval.report_finished(results, args)
    assert message.startswith("3 trial(s) finished; their report (pass^1..pass^1)")
    report = json.loads((tmp_path / "report" / "eval.json").read_text())
    assert report["tickets"] == 2 and report["trials"] == 1
    assert support_eval.report_finished([], args).endswith("nothing was written")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["eval", "--suite", "support", "--trials", "0"], "--trials must be 1 or more"),
        (["eval", "--team", "support"], "measured with --suite support"),
    ],
)
def test_bad_eval_flags_are_one_clear_line(argv, message, capsys):
    assert main(argv) == 1
    assert message in capsys.readouterr().err
