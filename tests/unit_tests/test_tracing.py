"""Traces name the role that asked: ``research/executor``, not the chat model's class."""

from langchain_core.callbacks import BaseCallbackHandler

from graphs import react, research
from tests.fakes import RoutedChatModel, make_instant_search, scripted
from tests.unit_tests.research_script import (
    ANSWER,
    DECIDER,
    FINAL,
    PLANNER,
    REFLECT,
    decision,
    plan,
    sufficient,
)
from tests.unit_tests.test_react_graph import act


class RunNames(BaseCallbackHandler):
    """Records what a tracer (LangSmith, OpenTelemetry through it) receives per model call."""

    def __init__(self):
        self.calls = []

    def on_chat_model_start(self, serialized, messages, *, run_id, tags=None, metadata=None, **kw):
        self.calls.append((kw.get("name"), tags or [], metadata or {}))


def test_every_model_call_of_a_research_run_is_named_team_slash_role():
    model = RoutedChatModel(
        rules=[
            (DECIDER, decision("B")),
            (PLANNER, plan((1, "alpha", []), (2, "beta", [1]))),
            (ANSWER, "done [1]"),
            (REFLECT, sufficient(True)),
            (FINAL, "final [1]"),
        ]
    )
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model),
        tools=[make_instant_search()],
        tool_policy="search",
    )
    names = RunNames()
    graph.invoke({"question": "What?"}, {"callbacks": [names]})
    assert [name for name, _, _ in names.calls] == [
        "research/decider",
        "research/planner",
        "research/executor",
        "research/executor",
        "research/planner",
        "research/finalizer",
    ]
    executor = [c for c in names.calls if c[0] == "research/executor"]
    assert {meta["teamgraph_task"] for _, _, meta in executor} == {"1", "2"}
    for name, tags, meta in names.calls:
        assert name in tags
        assert meta["teamgraph_team"] == "research"
        assert name == f"research/{meta['teamgraph_role']}"
    assert "RoutedChatModel" not in {name for name, _, _ in names.calls}


def test_the_react_agent_is_named_too():
    model = scripted(act("search", "q"), act("final_answer", "-"), "answer [1]")
    graph = react.build_graph({"agent": model}, tools=[make_instant_search()], first_step="model")
    names = RunNames()
    graph.invoke({"question": "q?"}, {"callbacks": [names]})
    assert {name for name, _, _ in names.calls} == {"react/agent"}
    assert len(names.calls) == 3
