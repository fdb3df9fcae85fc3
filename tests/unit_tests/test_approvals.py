import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import research, writer
from tests.fakes import RoutedChatModel, make_instant_search, scripted
from tests.unit_tests.research_script import (
    ANSWER,
    CHOOSER,
    DECIDER,
    FINAL,
    PLANNER,
    QUERIES,
    REFLECT,
    decision,
    echo_answer,
    plan,
    subtask,
    sufficient,
)
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.kernel.errors import InputError

CONFIG = {"configurable": {"thread_id": "approval"}}


def research_team(**settings):
    rules = [
        (DECIDER, decision("B")),
        (PLANNER, plan((1, "alpha", []), (2, "beta", [1]))),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, sufficient(True)),
        (FINAL, "Done [1]."),
    ]
    model = RoutedChatModel(rules=rules)
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model),
        tools=[make_instant_search()],
        tool_policy="model",
        checkpointer=InMemorySaver(),
        approve_plan=True,
        **settings,
    )
    return graph, model


def pending(graph):
    snapshot = graph.get_state(CONFIG)
    return [i.value for task in snapshot.tasks for i in task.interrupts]


def test_plan_approval_stops_before_any_task_runs_then_approve():
    graph, model = research_team()
    graph.invoke({"question": "Q?"}, CONFIG)
    [payload] = pending(graph)
    assert payload["kind"] == "plan_approval" and [t["id"] for t in payload["plan"]] == [1, 2]
    assert not any(ANSWER in p for p in model.calls)
    state = graph.invoke(Command(resume={"action": "approve"}), CONFIG)
    assert state["stop_reason"] == "sufficient"
    assert {r["status"] for r in state["tasks"].values()} == {"done"}


def test_an_edited_plan_is_the_one_executed():
    graph, model = research_team()
    graph.invoke({"question": "Q?"}, CONFIG)
    edited = {"action": "edit", "tasks": [{"id": 1, "query": "gamma", "dependency": [7]}]}
    state = graph.invoke(Command(resume=edited), CONFIG)
    assert [t["query"] for t in state["plan"]] == ["gamma"]
    assert state["tasks"]["1"]["result"].startswith("ANSWER<gamma>")
    assert "edited by a person" in state["plan_repairs"]
    assert "edited plan: task 1: dropped dependencies on [7]" in state["plan_repairs"]
    assert not any("Sub-task: alpha" in p for p in model.calls)


def test_a_rejected_plan_ends_the_run_without_executing():
    graph, model = research_team()
    graph.invoke({"question": "Q?"}, CONFIG)
    state = graph.invoke(Command(resume={"action": "reject", "reason": "too broad"}), CONFIG)
    assert state["stop_reason"] == "plan_rejected"
    assert state["answer"] == "The plan was rejected: too broad."
    assert not any(ANSWER in p for p in model.calls)


def test_a_malformed_answer_is_said_back_and_the_approval_stays_pending():
    graph, model = research_team()
    graph.invoke({"question": "Q?"}, CONFIG)
    graph.invoke(Command(resume={"action": "maybe"}), CONFIG)
    [payload] = pending(graph)
    assert payload["kind"] == "plan_approval" and "cannot be used" in payload["error"]
    assert not any(ANSWER in p for p in model.calls)
    assert graph.invoke(Command(resume="approve"), CONFIG)["stop_reason"] == "sufficient"


def test_read_answer_explains_what_to_reply():
    from agents.approval import DRAFT_HOW, DraftAnswer, draft_reply, read_answer

    with pytest.raises(InputError, match="revise"):
        read_answer({"action": "publish"}, DraftAnswer, DRAFT_HOW, draft_reply)


def test_draft_approval_sends_notes_back_then_approves():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1), draft(2)),
        "critic": scripted(critique(True)),
    }
    graph = writer.build_graph(models, checkpointer=InMemorySaver(), approve_draft=True)
    graph.invoke({"topic": "bees"}, CONFIG)
    [payload] = pending(graph)
    assert payload["kind"] == "draft_approval" and payload["text"] == draft(1)
    graph.invoke(Command(resume={"action": "revise", "notes": "Mention honey."}), CONFIG)
    assert "Mention honey." in models["writer"].prompts_text()[1]
    assert pending(graph)[0]["text"] == draft(2)
    state = graph.invoke(Command(resume={"action": "approve"}), CONFIG)
    assert state["stop_reason"] == "human_approved"
    assert state["final_text"] == draft(2) and state["human_revisions"] == 1
    assert all(m.exhausted for m in models.values())


def test_a_rewrite_on_a_persons_notes_goes_back_to_them_and_their_notes_bind_it():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1), draft(2), draft(3)),
        "critic": scripted(critique(True)),
    }
    graph = writer.build_graph(models, checkpointer=InMemorySaver(), approve_draft=True)
    graph.invoke({"topic": "bees"}, CONFIG)
    graph.invoke(Command(resume="revise Much shorter: three sentences."), CONFIG)
    assert pending(graph)[0]["text"] == draft(2)
    graph.invoke(Command(resume="revise Mention honey."), CONFIG)
    prompts = models["writer"].prompts_text()
    binding = "A person's notes on earlier drafts"
    assert [binding in prompt for prompt in prompts] == [False, True, True]
    assert "- Much shorter: three sentences.\n- Mention honey." in prompts[2]
    state = graph.invoke(Command(resume="approve"), CONFIG)
    assert state["final_text"] == draft(3) and state["stop_reason"] == "human_approved"
    assert state["person_notes"] == ["Much shorter: three sentences.", "Mention honey."]
    assert all(m.exhausted for m in models.values())


def test_the_last_rewrite_a_person_may_ask_for_ends_the_run_with_it():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1), draft(2)),
        "critic": scripted(critique(True)),
    }
    graph = writer.build_graph(
        models, checkpointer=InMemorySaver(), approve_draft=True, max_human_revisions=1
    )
    graph.invoke({"topic": "bees"}, CONFIG)
    state = graph.invoke(Command(resume="revise Shorter."), CONFIG)
    assert "__interrupt__" not in state and pending(graph) == []
    assert state["final_text"] == draft(2) and state["stop_reason"] == "human_revised"


def test_approval_is_off_by_default():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted(draft(1)),
        "critic": scripted(critique(True)),
    }
    state = writer.build_graph(models, checkpointer=InMemorySaver()).invoke(
        {"topic": "bees"}, CONFIG
    )
    assert state["stop_reason"] == "approved"
