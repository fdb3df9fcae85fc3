import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agents.budget import Budget, BudgetExceeded
from agents.errors import TeamgraphError
from graphs import react, research, writer
from graphs.budgeted import run_within_budget
from tests.fakes import RoutedChatModel, ScriptedChatModel, make_instant_search, scripted
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
from tests.unit_tests.writer_script import PLAN, critique, verdict


def test_budget_counts_and_refuses_past_its_limits():
    budget = Budget(max_calls=2, max_tokens_total=100)
    budget.reserve()
    budget.charge(60)
    budget.reserve()
    with pytest.raises(BudgetExceeded) as calls:
        budget.reserve()
    assert calls.value.limit == "max_calls"
    tokens = Budget(max_tokens_total=50)
    tokens.reserve()
    tokens.charge(50)
    with pytest.raises(BudgetExceeded, match="50 tokens"):
        tokens.reserve()


@pytest.mark.parametrize("limits", [{"max_calls": 0}, {"max_tokens_total": -5}])
def test_a_budget_of_zero_is_refused_clearly(limits):
    with pytest.raises(TeamgraphError, match="must be 1 or more"):
        Budget(**limits)


def test_an_endless_critic_is_stopped_by_the_call_limit_with_the_last_draft():
    models = {
        "manager": ScriptedChatModel(script=[PLAN], cycle=True),
        "writer": ScriptedChatModel(script=["draft text"], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False, 2, "again")], cycle=True),
    }
    graph = writer.build_graph(models, max_revisions=50)
    run = run_within_budget(graph, {"topic": "bees"}, budget=Budget(max_calls=6))
    assert run.stopped_by == "max_calls"
    assert sum(len(m.calls) for m in models.values()) == 6
    assert run.result == "draft text"
    assert "6 model calls" in run.message


def test_an_agent_that_always_wants_another_tool_is_stopped():
    always = json.dumps({"thought": "more", "action": "search", "action_input": "again and again"})
    counter = iter(range(1000))
    model = ScriptedChatModel(
        script=[lambda _m: always.replace("again", f"again {next(counter)}")], cycle=True
    )
    graph = react.build_graph(
        {"agent": model}, tools=[make_instant_search()], max_steps=100, first_step="model"
    )
    run = run_within_budget(graph, {"question": "q"}, budget=Budget(max_calls=4))
    assert run.stopped_by == "max_calls" and len(model.calls) == 4


def six_parallel_tasks(**settings):
    """A research team whose plan has six independent tasks of three calls each."""
    rules = [
        (DECIDER, decision("B")),
        (PLANNER, plan(*[(i, f"t{i}", []) for i in range(1, 7)])),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, sufficient(True)),
        (FINAL, "final"),
    ]
    model = RoutedChatModel(rules=rules, delay_s=0.01)
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model),
        tools=[make_instant_search()],
        tool_policy="model",
        **settings,
    )
    return graph, model


def test_the_limit_holds_across_parallel_branches():
    graph, model = six_parallel_tasks(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "b"}}
    run = run_within_budget(graph, {"question": "q"}, config, budget=Budget(max_calls=16))
    assert len(model.calls) == 16
    assert run.stopped_by == "max_calls"
    statuses = {k: r["status"] for k, r in run.state["tasks"].items()}
    assert statuses == {
        "1": "done",
        "2": "done",
        "3": "done",
        "4": "done",
        "5": "failed",
        "6": "failed",
    }
    assert "16 model calls" in run.state["tasks"]["5"]["error"]
    assert run.result.count("ANSWER<") == 4


def test_token_limit_stops_a_run():
    models = {
        "manager": ScriptedChatModel(script=[PLAN, verdict(True)], cycle=True),
        "writer": ScriptedChatModel(script=["word " * 50], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False)], cycle=True),
    }
    run = run_within_budget(
        writer.build_graph(models, max_revisions=20),
        {"topic": "t"},
        budget=Budget(max_tokens_total=400),
    )
    assert run.stopped_by == "max_tokens_total"
    assert run.budget.tokens >= 400


def test_usage_totals_equal_the_calls_made():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted("a", "b"),
        "critic": scripted(critique(False), critique(True)),
    }
    run = run_within_budget(writer.build_graph(models), {"topic": "t"}, budget=Budget())
    made = sum(len(m.calls) for m in models.values())
    assert sum(u["calls"] for u in run.state["usage"].values()) == made == run.budget.calls
    assert run.stopped_by is None and run.result == "b"


def test_tokens_stream_to_the_callback():
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": GenericFakeChatModel(messages=iter(["Bees pollinate crops."])),
        "critic": scripted(critique(True)),
    }
    seen: list[tuple[str, str]] = []
    run = run_within_budget(
        writer.build_graph(models),
        {"topic": "t"},
        budget=Budget(),
        on_token=lambda ns, node, text: seen.append((node, text)),
    )
    assert run.result == "Bees pollinate crops."
    written = [text for node, text in seen if node == "writer"]
    assert "".join(written) == "Bees pollinate crops." and len(written) > 1
    assert {node for node, _ in seen} <= {"writer", "manager_plan", "critic", "manager_review"}


def endless_writer_team(**limits):
    models = {
        "manager": ScriptedChatModel(script=[PLAN], cycle=True),
        "writer": ScriptedChatModel(script=["draft text"], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False, 2, "again")], cycle=True),
    }
    return writer.build_graph(models, max_revisions=50, **limits), models


def test_limits_given_to_build_graph_end_each_run_with_the_best_result():
    graph, models = endless_writer_team(max_calls=6)
    first = graph.invoke({"topic": "bees"})
    assert sum(len(m.calls) for m in models.values()) == 6
    assert first["stop_reason"] == "max_calls" and first["final_text"] == "draft text"
    assert first["budget_stop"] == {
        "limit": "max_calls",
        "message": "The run reached its limit of 6 model calls.",
    }
    second = graph.invoke({"topic": "wasps"})
    assert sum(len(m.calls) for m in models.values()) == 12
    assert second["stop_reason"] == "max_calls"


def test_a_token_limit_in_build_graph_holds_in_stream_and_checkpoints():
    graph = writer.build_graph(
        {
            "manager": ScriptedChatModel(script=[PLAN], cycle=True),
            "writer": ScriptedChatModel(script=["word " * 40], cycle=True),
            "critic": ScriptedChatModel(script=[critique(False)], cycle=True),
        },
        max_revisions=50,
        max_tokens_total=300,
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "tokens"}}
    nodes = [node for update in graph.stream({"topic": "t"}, config) for node in update]
    assert nodes[:3] == ["manager_plan", "writer", "critic"]
    saved = graph.get_state(config)
    assert saved.next == () and saved.values["stop_reason"] == "max_tokens_total"
    assert saved.values["final_text"].startswith("word")
    assert (
        sum(u["input_tokens"] + u["output_tokens"] for u in saved.values["usage"].values()) >= 300
    )


def test_no_limits_leave_the_compiled_graph_as_it_is():
    graph, _ = endless_writer_team()
    assert type(graph).__name__ == "CompiledStateGraph"
    with pytest.raises(TeamgraphError, match="must be 1 or more"):
        endless_writer_team(max_calls=0)


def test_a_limit_in_build_graph_holds_across_parallel_branches_async():
    import asyncio

    graph, model = six_parallel_tasks(max_calls=16)
    state = asyncio.run(graph.ainvoke({"question": "q"}))
    assert len(model.calls) == 16
    assert state["stop_reason"] == "max_calls"
    assert state["answer"].count("ANSWER<") == 4
    assert [r["status"] for _, r in sorted(state["tasks"].items())].count("failed") == 2


def test_a_team_inside_a_limited_run_charges_both_budgets():
    graph, models = endless_writer_team(max_calls=5)
    outer = Budget(max_calls=100)
    run = run_within_budget(graph, {"topic": "t"}, budget=outer)
    assert run.stopped_by == "max_calls" and run.result == "draft text"
    assert outer.calls == 5 == sum(len(m.calls) for m in models.values())
    tight = Budget(max_calls=3)
    run = run_within_budget(graph, {"topic": "t"}, budget=tight)
    assert run.stopped_by == "max_calls" and "3 model calls" in run.message
