"""A person's answer is what happens: on a terminal and through ``resume --answer``, only the
documented answers are taken (any case), anything else is said back with the choices."""

import json
import re
import time

import pytest

from agents.approval import DRAFT_HOW, DraftAnswer, PlanAnswer, draft_reply, plan_reply, read_answer
from agents.support.answers import ActionsAnswer, FeedbackAnswer, actions_reply, rating_reply
from graphs.cli import main
from tests.fakes import swap_build
from tests.terminal import Terminal
from tests.unit_tests.team_cli_entry import scripted_team_build
from tools.kernel.errors import InputError

TEAM_ENTRY = "tests.unit_tests.team_cli_entry"
SUPPORT_ENTRY = "tests.unit_tests.support_cli_entry"
DRAFT_PROMPT = "approve / revise <notes>:"
PLAN_PROMPT = "approve / reject [reason] / edit <JSON tasks>:"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("approve", {"action": "approve", "notes": ""}),
        ("  APPROVE ", {"action": "approve", "notes": ""}),
        ("Revise  make it shorter ", {"action": "revise", "notes": "make it shorter"}),
        ({"action": "Approve"}, {"action": "approve", "notes": ""}),
    ],
)
def test_the_documented_draft_answers_are_read_in_any_case(reply, expected):
    assert read_answer(reply, DraftAnswer, DRAFT_HOW, draft_reply).model_dump() == expected


@pytest.mark.parametrize(
    "reply", ["maybe", "", "   ", "no", "reject", "revse shorter", "approve it"]
)
def test_anything_else_is_said_back_with_the_choices(reply):
    with pytest.raises(InputError) as refused:
        read_answer(reply, DraftAnswer, DRAFT_HOW, draft_reply)
    assert f"The answer {reply.strip()!r}" in str(refused.value) or reply.strip() == ""
    assert "Reply approve, or revise followed by what to change" in str(refused.value)


@pytest.mark.parametrize(
    ("reply", "schema", "shape", "hint"),
    [
        ("aprove", DraftAnswer, draft_reply, " Did you mean approve?"),
        ("revse shorter", DraftAnswer, draft_reply, " Did you mean revise?"),
        ("rejct too costly", ActionsAnswer, actions_reply, " Did you mean reject?"),
        ("edt [{}]", PlanAnswer, plan_reply, " Did you mean edit?"),
        ("yes", DraftAnswer, draft_reply, ""),
        ("approve it", DraftAnswer, draft_reply, ""),
    ],
)
def test_a_misspelt_answer_is_said_back_with_the_word_it_is_closest_to_and_not_taken(
    reply, schema, shape, hint
):
    with pytest.raises(InputError) as refused:
        read_answer(reply, schema, "HOW", shape)
    said = str(refused.value)
    assert said.startswith(f"The answer {reply!r} cannot be used (")
    assert said.endswith(f").{hint} HOW")


def test_plan_answers_edit_with_json_tasks_and_refuse_bad_json():
    edited = read_answer(
        'Edit [{"id": 1, "query": "q", "dependency": []}]', PlanAnswer, "", plan_reply
    )
    assert edited.action == "edit" and edited.tasks[0].query == "q"
    assert read_answer("reject too broad", PlanAnswer, "", plan_reply).reason == "too broad"
    with pytest.raises(InputError) as refused:
        read_answer('edit [{"id": 1, "query": "q"', PlanAnswer, "", plan_reply)
    assert "(tasks: not valid JSON: Expecting ',' delimiter at character 24 of the tasks)" in str(
        refused.value
    )


def test_support_answers_take_only_their_words():
    assert read_answer("REJECT not now", ActionsAnswer, "", actions_reply).reason == "not now"
    for bad in ("yes", "", "approve all"):
        with pytest.raises(InputError):
            read_answer(bad, ActionsAnswer, "", actions_reply)
    assert read_answer(" 4 ", FeedbackAnswer, "", rating_reply).rating == 4
    assert read_answer("Skip", FeedbackAnswer, "", rating_reply).rating is None
    with pytest.raises(InputError):
        read_answer("great", FeedbackAnswer, "", rating_reply)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def writer_run_on_a_terminal(home, thread):
    env = {"TEAMGRAPH_HOME": str(home), "TEAM_SCRIPT_ROUTE": "writer"}
    return Terminal(TEAM_ENTRY, ["run", "bees", "--thread", thread], env)


def test_the_draft_prompt_on_a_terminal_takes_only_approve_or_revise(home):
    terminal = writer_run_on_a_terminal(home, "T1")
    terminal.expect(DRAFT_PROMPT)
    for n, reply in enumerate(["maybe", "", "no", "revse shorter"], start=2):
        terminal.type(reply)
        terminal.expect(f"The answer {reply!r} cannot be used")
        terminal.expect(DRAFT_PROMPT, times=n)
        assert "Approved by a person" not in terminal.screen
    terminal.type("revise shorter please")
    terminal.expect("Draft 2 on bees.")
    terminal.expect(DRAFT_PROMPT, times=6)
    terminal.type("  Approve ")
    assert terminal.wait() == 0
    screen = terminal.screen
    assert "Approved by a person" in screen
    assert screen.count("Draft on: bees") == 2  # the draft is shown once per draft, not per reply
    assert "Reply approve, or revise followed by what to change" in screen


def test_after_a_persons_answer_the_live_total_goes_on_from_the_request(home):
    terminal = writer_run_on_a_terminal(home, "T4")
    terminal.expect(DRAFT_PROMPT)
    time.sleep(1.5)
    terminal.type("revise shorter")
    terminal.expect(DRAFT_PROMPT, times=2)
    terminal.type("approve")
    assert terminal.wait() == 0
    after = terminal.screen.split("revise shorter", 1)[1]
    totals = [float(t) for t in re.findall(r"\(total +([\d.]+)s\)", after)]
    stamps = [float(t) for t in re.findall(r"\[ +([\d.]+)s\]", after)]
    assert totals and stamps
    assert min(totals + stamps) >= 1.5  # the team's and the writer's, as the last line


def test_the_plan_prompt_on_a_terminal_says_back_bad_json_and_takes_an_edit(home):
    terminal = Terminal(
        TEAM_ENTRY, ["run", "bees", "--thread", "T2"], {"TEAMGRAPH_HOME": str(home)}
    )
    terminal.expect(PLAN_PROMPT)
    terminal.type("edit [{not json")
    terminal.expect("cannot be used (tasks:")
    terminal.type("yes")
    terminal.expect("The answer 'yes' cannot be used")
    terminal.type('EDIT [{"id": 1, "query": "gamma", "dependency": []}]')
    terminal.expect(DRAFT_PROMPT)
    terminal.type("approve")
    assert terminal.wait() == 0
    assert "Plan for: bees" in terminal.screen and "gamma" in terminal.screen


def test_end_of_input_at_the_prompt_leaves_the_approval_waiting(home):
    terminal = writer_run_on_a_terminal(home, "T3")
    terminal.expect(DRAFT_PROMPT)
    terminal.end_input()
    assert terminal.wait() == 3
    assert "teamgraph resume --thread T3 --answer approve" in terminal.screen
    assert "Approved by a person" not in terminal.screen


def test_support_prompts_on_a_terminal_take_only_their_answers(home, capsys):
    assert main(["support", "init", "--demo", "-q"]) == 0
    capsys.readouterr()
    terminal = Terminal(
        SUPPORT_ENTRY,
        ["support", "Internet down, charged twice", "--customer", "C1004", "--thread", "S1"],
        {"TEAMGRAPH_HOME": str(home)},
    )
    prompt = "approve / reject [reason]:"
    terminal.expect(prompt)
    terminal.type("yes")
    terminal.expect("The answer 'yes' cannot be used")
    terminal.expect(prompt, times=2)
    assert "Reply approve or reject [reason]" in terminal.screen
    terminal.type("")
    terminal.expect("The answer '' cannot be used")
    terminal.expect(prompt, times=3)
    terminal.type("reject not today")
    terminal.expect("Rate the reply 1-5 (Enter to skip):")
    terminal.type("great")
    terminal.expect("The answer 'great' cannot be used")
    terminal.expect("Rate the reply 1-5 (Enter to skip):", times=2)
    terminal.type("4")
    assert terminal.wait() == 0
    refused = "refund (amount 89.00, bill_id B1004-2025-06): not possible (not today)"
    assert terminal.screen.count(refused) == 1, "the reply rated is not printed again"
    assert "(the reply is the one shown above)" in terminal.screen
    assert "The customer rated the reply 4/5" in terminal.screen


def waiting_run(monkeypatch, capsys, thread, route="writer"):
    monkeypatch.setenv("TEAM_SCRIPT_ROUTE", route)
    swap_build(monkeypatch, "team", scripted_team_build())
    assert main(["run", "bees", "--thread", thread, "-q"]) == 3
    capsys.readouterr()


def test_answer_flag_says_back_anything_else_and_keeps_waiting(home, monkeypatch, capsys):
    waiting_run(monkeypatch, capsys, "A1")
    for bad in ("maybe", "no", "revse shorter", '{"action": "publish"}'):
        assert main(["resume", "--thread", "A1", "--answer", bad, "-q"]) == 3
        err = capsys.readouterr().err
        assert "cannot be used" in err and "Reply approve, or revise" in err
    assert main(["resume", "--thread", "A1", "--answer", "Revise shorter", "--json"]) == 3
    pending = json.loads(capsys.readouterr().out)["pending"]
    assert pending["text"] == "Draft 2 on bees." and "error" not in pending
    assert main(["resume", "--thread", "A1", "--answer", " APPROVE ", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["result"] == "Draft 2 on bees."
    assert report["outputs"][-1]["stop_reason"] == "human_approved"
