import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agents.llm.ledger import Ledger, Limits
from graphs import react, research, writer
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
from tools.kernel.errors import BudgetExceeded, TeamgraphError


def test_the_ledger_counts_and_refuses_past_its_limits():
    ledger = Ledger(limits=Limits(max_calls=2, max_tokens_total=100))
    ledger.settle(ledger.reserve("writer"), 40, 20)
    ledger.settle(ledger.reserve("critic"), 10, 5)
    with pytest.raises(BudgetExceeded) as calls:
        ledger.reserve("writer")
    assert calls.value.limit == "max_calls" and calls.value.ledger is ledger
    assert ledger.usage()["writer"]["calls"] == 1 and ledger.tokens == 75
    tokens = Ledger(limits=Limits(max_tokens_total=50))
    tokens.settle(tokens.reserve("writer"), 30, 20)
    with pytest.raises(BudgetExceeded, match="50 tokens"):
        tokens.reserve("writer")


def test_calls_in_flight_count_against_the_limit_and_are_logged_at_once():
    log = MemoryLog()
    ledger = Ledger("r1", Limits(max_calls=2), log=log)
    first = ledger.reserve("a")
    ledger.reserve("b")
    with pytest.raises(BudgetExceeded):
        ledger.reserve("c")
    assert ledger.calls == 2 and len(log.kept["r1"]) == 2
    ledger.settle(first, 5, 7)
    assert log.kept["r1"][first.key]["output_tokens"] == 7
    restored = Ledger("r1", log=log)
    assert restored.usage()["a"]["calls"] == 1 and restored.usage()["b"]["calls"] == 1
    assert restored.tokens == 12


class MemoryLog:
    def __init__(self):
        self.kept = {}

    def write(self, run, key, record):
        self.kept.setdefault(run, {})[key] = dict(record)

    def load(self, run):
        return [dict(r) for r in self.kept.get(run, {}).values()]


def test_a_team_ledger_charges_its_own_limits_and_the_runs():
    run = Ledger(limits=Limits(max_calls=3))
    research = run.child("research", Limits(max_calls=10))
    for _ in range(3):
        research.settle(research.reserve("planner"))
    with pytest.raises(BudgetExceeded, match="3 model calls"):
        research.reserve("planner")
    assert run.usage() == {"research/planner": research.usage()["planner"]}


@pytest.mark.parametrize("limits", [{"max_calls": 0}, {"max_tokens_total": -5}])
def test_a_limit_below_one_is_refused_clearly(limits):
    with pytest.raises(TeamgraphError, match="must be 1 or more"):
        Limits(**limits)


def test_an_endless_critic_is_stopped_by_the_call_limit_with_the_last_draft():
    models = {
        "manager": ScriptedChatModel(script=[PLAN], cycle=True),
        "writer": ScriptedChatModel(script=["draft text"], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False, 2, "again")], cycle=True),
    }
    graph = writer.build_graph(models, max_revisions=50)
    state = graph.invoke({"topic": "bees"}, context={"max_calls": 6})
    made = sum(len(m.calls) for m in models.values())
    assert made == 6 == sum(u["calls"] for u in state["usage"].values())
    assert state["stop_reason"] == "max_calls" and state["final_text"] == "draft text"
    assert "6 model calls" in state["budget_stop"]["message"]


def test_an_agent_that_always_wants_another_tool_is_stopped():
    always = json.dumps({"thought": "more", "action": "search", "action_input": "again and again"})
    counter = iter(range(1000))
    model = ScriptedChatModel(
        script=[lambda _m: always.replace("again", f"again {next(counter)}")], cycle=True
    )
    graph = react.build_graph(
        {"agent": model}, tools=[make_instant_search()], max_steps=100, first_step="model"
    )
    state = graph.invoke({"question": "q"}, context={"max_calls": 4})
    assert state["stop_reason"] == "max_calls" and len(model.calls) == 4
    assert state["usage"]["agent"]["calls"] == 4


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
    state = graph.invoke({"question": "q"}, config, context={"max_calls": 16})
    assert len(model.calls) == 16
    assert state["stop_reason"] == "max_calls"
    records = state["tasks"]
    done = [k for k, r in records.items() if r["status"] == "done"]
    failed = [k for k, r in records.items() if r["status"] == "failed"]
    assert sorted(done + failed) == list("123456") and failed
    assert all("16 model calls" in records[k]["error"] for k in failed)
    assert all(records[k]["usage"]["calls"] == 3 for k in done)
    assert state["answer"].count("ANSWER<") == len(done)
    assert sum(u["calls"] for u in state["usage"].values()) == 16
    assert state["usage"]["executor"]["calls"] == 14
    assert sum(r.get("usage", {}).get("calls", 0) for r in records.values()) == 14
    saved = graph.get_state(config).values["usage"]
    assert sum(u["calls"] for u in saved.values()) == 16


def test_token_limit_stops_a_run():
    models = {
        "manager": ScriptedChatModel(script=[PLAN, verdict(True)], cycle=True),
        "writer": ScriptedChatModel(script=["word " * 50], cycle=True),
        "critic": ScriptedChatModel(script=[critique(False)], cycle=True),
    }
    state = writer.build_graph(models, max_revisions=20).invoke(
        {"topic": "t"}, context={"max_tokens_total": 400}
    )
    assert state["stop_reason"] == "max_tokens_total"
    used = sum(u["input_tokens"] + u["output_tokens"] for u in state["usage"].values())
    assert 0 < used <= 400 + 50  # at most one reply (50 words) past the limit


def test_usage_totals_equal_the_calls_made():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted("a", "b"),
        "critic": scripted(critique(False), critique(True)),
    }
    state = writer.build_graph(models).invoke({"topic": "t"})
    made = sum(len(m.calls) for m in models.values())
    assert sum(u["calls"] for u in state["usage"].values()) == made == 6
    assert state.get("budget_stop") is None and state["final_text"] == "b"


def test_tokens_stream_with_the_node_that_asked():
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": GenericFakeChatModel(messages=iter(["Bees pollinate crops."])),
        "critic": scripted(critique(True)),
    }
    seen: list[tuple[str, str]] = []
    for token, meta in writer.build_graph(models).stream({"topic": "t"}, stream_mode="messages"):
        seen.append((meta["langgraph_node"], token.content))
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
        sum(u["input_tokens"] + u["output_tokens"] for u in saved.values["usage"].values())
        <= 300 + 40
    )


def test_limits_leave_the_compiled_graph_as_langgraph_made_it():
    for limits in ({}, {"max_calls": 3}):
        graph, _ = endless_writer_team(**limits)
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


def test_a_team_inside_a_limited_run_charges_both_limits():
    from graphs import team

    def run_with(team_limit):
        member, models = endless_writer_team(max_calls=5)
        manager = ScriptedChatModel(
            script=[json.dumps({"reason": "r", "teams": ["writer"]})], cycle=True
        )
        graph = team.build_graph(
            {"manager": manager}, teams={"writer": member}, max_calls=team_limit
        )
        state = graph.invoke({"request": "t"})
        made = len(manager.calls) + sum(len(m.calls) for m in models.values())
        return state, made

    state, made = run_with(100)
    assert made == 6 == sum(u["calls"] for u in state["usage"].values())
    assert state["usage"]["manager"]["calls"] == 1
    assert sum(u["calls"] for r, u in state["usage"].items() if r.startswith("writer/")) == 5
    assert state["stop_reason"] == "max_calls" and state["final"] == "draft text"
    state, made = run_with(3)
    assert made == 3 == sum(u["calls"] for u in state["usage"].values())
    assert "3 model calls" in state["budget_stop"]["message"]


def test_a_token_limit_holds_across_parallel_branches_within_one_reply():
    rules = [
        (DECIDER, decision("B")),
        (PLANNER, plan(*[(i, f"t{i}", []) for i in range(1, 7)])),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, sufficient(True)),
        (FINAL, "final"),
    ]
    model = RoutedChatModel(rules=rules, delay_s=0.01, max_tokens=30)
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model), tools=[make_instant_search()], tool_policy="model"
    )
    for limit in (300, 600, 1000):  # the whole run needs about 1,400
        state = graph.invoke({"question": "q"}, context={"max_tokens_total": limit})
        used = sum(u["input_tokens"] + u["output_tokens"] for u in state["usage"].values())
        assert state["stop_reason"] == "max_tokens_total"
        assert used <= limit + 30, (limit, used)
        assert sum(u["calls"] for u in state["usage"].values()) == len(model.calls)
        model.calls.clear()
