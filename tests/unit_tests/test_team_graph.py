import dataclasses
import json

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs import research, writer
from graphs.team import build_graph, members
from tests.fakes import RoutedChatModel, make_instant_search, scripted, swap_build
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
from tools.kernel.errors import InputError


def route(*teams: str) -> str:
    return json.dumps({"reason": "because", "teams": list(teams)})


def research_team():
    rules = [
        (DECIDER, decision("B")),
        (PLANNER, plan((1, "platform A", []), (2, "platform B", []))),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, sufficient(True)),
        (FINAL, "A has 200M users [1]; B has 90M [2]."),
    ]
    model = RoutedChatModel(rules=rules)
    return research.build_graph(
        dict.fromkeys(research.ROLES, model), tools=[make_instant_search()], tool_policy="model"
    ), model


def writer_team():
    models = {
        "manager": scripted(PLAN, verdict(True)),
        "writer": scripted("REPORT: A leads [1], B follows [2]."),
        "critic": scripted(critique(True, 9)),
    }
    return writer.build_graph(models), models


def test_research_then_writer_with_a_lean_hand_off():
    research_graph, research_model = research_team()
    writer_graph, writer_models = writer_team()
    graph = build_graph(
        {"manager": scripted(route("research", "writer"))},
        teams={"research": research_graph, "writer": writer_graph, "react": writer_graph},
    )
    order, state = [], {}
    for mode, payload in graph.stream(
        {"request": "Report comparing two platforms"}, stream_mode=["updates", "values"]
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            state = payload
    assert order == ["manager", "research", "writer", "finish"]
    assert state["route"] == ["research", "writer"]
    assert state["final"] == "REPORT: A leads [1], B follows [2]."
    assert [c["number"] for c in state["citations"]] == [1, 2]
    assert [o["team"] for o in state["outputs"]] == ["research", "writer"]
    plan_prompt = writer_models["manager"].prompts_text()[0]
    assert "A has 200M users [1]; B has 90M [2]." in plan_prompt
    assert "[1] Result for platform A — https://example.org/platform_A" in plan_prompt
    assert "ANSWER<platform A>" not in plan_prompt
    assert state["usage"]["manager"]["calls"] == 1
    assert state["usage"]["research/finalizer"]["calls"] == 1
    assert state["usage"]["writer/critic"]["calls"] == 1
    assert "research/planner" in state["models"] and "writer/critic" in state["models"]


def test_a_single_team_route():
    writer_graph, _ = writer_team()
    graph = build_graph(
        {"manager": scripted(route("writer"))},
        teams={"research": writer_graph, "writer": writer_graph, "react": writer_graph},
    )
    state = graph.invoke({"request": "Write a haiku about rain"})
    assert state["route"] == ["writer"] and state["citations"] == []
    assert state["final"].startswith("REPORT")


def test_unreadable_route_falls_back_to_research():
    research_graph, _ = research_team()
    graph = build_graph(
        {"manager": scripted("?", "?", "?")},
        teams={"research": research_graph, "writer": research_graph, "react": research_graph},
    )
    state = graph.invoke({"request": "Compare two platforms"})
    assert state["route"] == ["research"]
    assert state["usage"]["manager"]["calls"] == 3
    assert [(n["role"], n["decision"]) for n in state["fallbacks"]] == [("manager", "TeamRoute")]


def kept_team(*teams: str):
    """The team of teams on a checkpointer, routing to ``teams``, with scripted members."""
    research_graph, _ = research_team()
    writer_graph, _ = writer_team()
    return build_graph(
        {"manager": scripted(route(*teams))},
        checkpointer=InMemorySaver(),
        teams={"research": research_graph, "writer": writer_graph, "react": writer_graph},
    )


def test_subteam_checkpoints_live_in_the_parent_thread():
    graph = kept_team("research", "writer")
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"request": "Report"}, config)
    namespaces = {
        c.config["configurable"].get("checkpoint_ns", "") for c in graph.checkpointer.list(None)
    }
    assert any(ns.startswith("research:") for ns in namespaces)
    assert any(ns.startswith("writer:") for ns in namespaces)


def test_empty_request():
    writer_graph, _ = writer_team()
    graph = build_graph(
        {"manager": scripted()},
        teams={"research": writer_graph, "writer": writer_graph, "react": writer_graph},
    )
    with pytest.raises(InputError):
        graph.invoke({"request": " "})


@pytest.mark.parametrize(
    ("max_calls", "order", "final"),
    [
        (12, ["manager", "research", "writer", "finish"], "A has 200M users [1]; B has 90M [2]."),
        (9, ["manager", "research", "finish"], "platform A: ANSWER<platform A>\nplatform B"),
    ],
)
def test_a_run_limit_in_build_graph_stops_the_chain_with_the_best_result(max_calls, order, final):
    research_graph, research_model = research_team()
    writer_graph, writer_models = writer_team()
    manager = scripted(route("research", "writer"))
    graph = build_graph(
        {"manager": manager},
        teams={"research": research_graph, "writer": writer_graph, "react": writer_graph},
        max_calls=max_calls,
    )
    ran, state = [], {}
    for mode, payload in graph.stream({"request": "Report"}, stream_mode=["updates", "values"]):
        if mode == "updates":
            ran.extend(payload)
        else:
            state = payload
    made = len(manager.calls) + len(research_model.calls)
    made += sum(len(m.calls) for m in writer_models.values())
    assert made == max_calls
    assert ran == order
    assert state["stop_reason"] == "max_calls"
    assert state["budget_stop"]["message"] == (
        f"The run reached its limit of {max_calls} model calls."
    )
    assert state["final"].startswith(final)


def test_the_managers_choices_and_prompt_come_from_the_registered_members():
    writer_graph, _ = writer_team()
    manager = scripted(route("poet"), route("poet"), route("poet"))
    graph = build_graph(
        {"manager": manager},
        teams={"research": writer_graph, "writer": writer_graph, "react": writer_graph},
    )
    decided = next(iter(graph.stream({"request": "A poem"}, stream_mode="updates")))["manager"]
    assert decided["route"] == ["research"], "a team that is not a member is not a valid choice"
    assert [n["decision"] for n in decided["fallbacks"].value] == ["TeamRoute"]
    system = manager.prompts_text()[0]
    for name, spec in members().items():
        assert f"'{name}' {spec.routing.brief}" in system


def test_a_team_registered_at_run_time_can_be_routed_to(monkeypatch):
    from graphs import registry
    from graphs.common.spec import Routing

    writer_graph, _ = writer_team()
    echo = dataclasses.replace(
        registry.TEAMS["writer"], name="echo", routing=Routing("says the request back")
    )
    monkeypatch.setitem(registry.TEAMS, "echo", echo)
    manager = scripted(route("echo"))
    graph = build_graph(
        {"manager": manager},
        teams=dict.fromkeys(("research", "writer", "react", "echo"), writer_graph),
    )
    state = graph.invoke({"request": "Say it back"})
    assert state["route"] == ["echo"] and state["outputs"][0]["team"] == "echo"
    assert "'echo' says the request back" in manager.prompts_text()[0]


def test_member_settings_and_the_approval_stop_go_to_the_members_that_have_them(monkeypatch):
    writer_graph, _ = writer_team()
    seen = {}

    def recording(name):
        def build(models, **kwargs):
            seen[name] = kwargs
            return writer_graph

        return build

    for name in ("research", "writer", "react"):
        swap_build(monkeypatch, name, recording(name))
    search = make_instant_search()
    build_graph(
        None, tools=[search], approve=True, tool_timeout_s=5.0, max_calls=9, check_models=False
    )
    assert seen["research"]["approve_plan"] is True and seen["research"]["tool_timeout_s"] == 5.0
    assert seen["writer"]["approve_draft"] is True and "tool_timeout_s" not in seen["writer"]
    assert seen["react"]["tool_timeout_s"] == 5.0 and "approve_plan" not in seen["react"]
    assert seen["research"]["tools"] == [search] == seen["react"]["tools"]
    assert seen["writer"]["tools"] is None
    assert all("max_calls" not in kwargs for kwargs in seen.values())


def test_a_setting_no_team_has_is_refused():
    with pytest.raises(TypeError, match="max_revisons"):
        build_graph(None, check_models=False, max_revisons=2)


def test_a_run_with_approve_stops_at_the_member_teams_approval_stops():
    graph = kept_team("research", "writer")
    config = {"configurable": {"thread_id": "A1"}}
    graph.invoke({"request": "Report comparing two platforms"}, config, context={"approve": True})
    waiting = graph.get_state(config).interrupts
    assert [item.value["kind"] for item in waiting] == ["plan_approval"]
    unasked = kept_team("research")
    done = unasked.invoke({"request": "Report"}, {"configurable": {"thread_id": "A2"}})
    assert done["final"] and not unasked.get_state({"configurable": {"thread_id": "A2"}}).next


def test_a_model_for_a_role_no_team_has_is_refused_with_the_closest_role():
    from tools.kernel.errors import ModelConfigError

    with pytest.raises(ModelConfigError, match=r"No role named writter \(did you mean writer\?\)"):
        build_graph({"writter": {"critic": "local"}}, check_models=False)
    with pytest.raises(ModelConfigError, match="No role named decider in this team: its roles"):
        build_graph({"writer": {"decider": "local"}}, check_models=False)
    assert build_graph({"manager": "local", "research": {"decider": "local"}}, check_models=False)
