import json
from unittest.mock import ANY

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool

from agents.react_agent import SEARCH_FIRST_THOUGHT
from graphs.react import build_graph
from tests.fakes import ScriptedChatModel, embedded_model, scripted
from tools.calculator import calculator
from tools.kernel.errors import InputError
from tools.tool_addressing import mark_retrieval


def act(action: str, value: str, thought: str = "next") -> str:
    return json.dumps({"thought": thought, "action": action, "action_input": value})


@tool(response_format="content_and_artifact")
def docs(query: str) -> tuple[str, list[dict]]:
    """Search the user's documents."""
    return (
        f"passages for {query}",
        [
            {
                "kind": "file",
                "title": "guide.md",
                "path": "/d/guide.md",
                "location": "Wi-Fi",
                "chunk_id": "c1",
                "snippet": "The Wi-Fi password is purple-otter-42.",
            },
            {
                "kind": "file",
                "title": "lunch.md",
                "path": "/d/lunch.md",
                "location": "",
                "chunk_id": "c2",
                "snippet": "Lunch is served at noon in the canteen.",
            },
        ],
    )


mark_retrieval(docs)


@tool
def broken(query: str) -> str:
    """Always fails."""
    raise RuntimeError("backend down")


class NativeToolModel(ScriptedChatModel):
    """A scripted model that supports bind_tools (replies carry tool calls)."""

    bound: list = []

    def bind_tools(self, tools, *, tool_choice=None, **kwargs):
        self.bound.append(([t.name for t in tools], tool_choice))
        return self


def run(graph, question="What is the Wi-Fi password?", **kwargs):
    order, state = [], {}
    for mode, payload in graph.stream(
        {"question": question}, stream_mode=["updates", "values"], **kwargs
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            state = payload
    return order, state


def test_tool_call_observation_then_answer_with_citation():
    model = scripted(
        act("docs", "wifi password"),
        act("final_answer", "-"),
        "The password is purple-otter-42 [1].",
    )
    graph = build_graph({"agent": model}, tools=[docs, calculator], first_step="model")
    order, state = run(graph)
    assert order == ["agent", "tools", "agent", "answer", "finalize"]
    assert state["steps"] == 1
    assert state["stop_reason"] == "answered"
    assert state["answer"] == "The password is purple-otter-42 [1]."
    assert [c["number"] for c in state["citations"]] == [1]
    assert state["citations"][0]["path"] == "/d/guide.md"
    observation = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert observation.content.startswith("[1] guide.md (Wi-Fi, c1):")
    assert "[2] lunch.md" in observation.content
    assert "[1] guide.md" in model.prompts_text()[1]
    assert model.exhausted


def test_first_tool_step_is_required_by_the_schema():
    model = scripted(
        act("final_answer", "I know it"), act("docs", "wifi"), act("final_answer", "-"), "ok [1]"
    )
    graph = build_graph({"agent": model}, tools=[docs], first_step="model")
    _, state = run(graph)
    first_prompt = model.prompts_text()[0]
    assert "Input should be 'docs'" in model.prompts_text()[1]
    assert "final_answer" not in first_prompt.split("fields:")[1].split("\n")[2]
    assert state["steps"] == 1


def test_search_first_sends_the_question_to_every_retrieval_tool():
    model = scripted(act("final_answer", "-"), "purple-otter-42, says the guide.")
    graph = build_graph({"agent": model}, tools=[docs, calculator])
    order, state = run(graph)
    assert order == ["agent", "tools", "agent", "answer", "finalize"]
    opening = state["messages"][0]
    assert opening.content == SEARCH_FIRST_THOUGHT
    assert [(c["name"], c["args"]) for c in opening.tool_calls] == [
        ("docs", {"query": "What is the Wi-Fi password?"})
    ]
    assert len(model.calls) == 2
    assert [c["title"] for c in state["citations"]] == ["guide.md"]  # drawn on, not cited
    assert [(s["number"], s["title"]) for s in state["sources"]] == [
        (1, "guide.md"),
        (2, "lunch.md"),
    ]


def test_step_cap_stops_the_loop_and_says_so():
    model = scripted(*[act("calculator", f"{n} + 1") for n in range(3)], "I ran out of steps.")
    graph = build_graph({"agent": model}, tools=[calculator], max_steps=3, first_step="model")
    order, state = run(graph)
    assert order == ["agent", "tools"] * 3 + ["answer", "finalize"]
    assert state["steps"] == 3
    assert state["stop_reason"] == "max_steps"
    assert state["answer"] == "I ran out of steps."
    assert model.exhausted


@pytest.mark.parametrize(
    ("tool", "first", "again", "titles"),
    [
        (calculator, "2+2", "2+2", []),
        (docs, "wifi password", " wifi password ", ["guide.md", "lunch.md"]),  # spaces aside
    ],
)
def test_repeating_the_same_call_ends_the_loop(tool, first, again, titles):
    model = scripted(act(tool.name, first), act(tool.name, again), "4")
    graph = build_graph({"agent": model}, tools=[tool], first_step="model")
    order, state = run(graph)
    assert order == ["agent", "tools", "agent", "answer", "finalize"]
    assert state["stop_reason"] == "repeated_action"
    assert state["steps"] == 1
    assert [s["title"] for s in state.get("sources") or []] == titles


def test_malformed_actions_are_reasked_then_fall_back_to_answering():
    model = scripted(
        act("docs", "wifi"),
        "not json",
        '{"thought": 1}',
        '{"action": "teleport"}',
        "Best effort answer.",
    )
    graph = build_graph({"agent": model}, tools=[docs], first_step="model")
    order, state = run(graph)
    assert order == ["agent", "tools", "agent", "answer", "finalize"]
    assert "teleport" not in state["answer"]
    assert state["answer"] == "Best effort answer."
    assert state["usage"]["agent"]["calls"] == 5
    assert state["stop_reason"] == "fallback"
    assert [(n["role"], n["decision"]) for n in state["fallbacks"]] == [("agent", "AgentAction")]


def test_unknown_tool_from_a_native_model_becomes_an_observation():
    model = NativeToolModel(
        script=[
            AIMessage("", tool_calls=[{"name": "teleport", "args": {"to": "mars"}, "id": "t1"}]),
            AIMessage("", tool_calls=[{"name": "docs", "args": {"query": "wifi"}, "id": "t2"}]),
            AIMessage("purple-otter-42 [1]"),
        ]
    )
    graph = build_graph({"agent": model}, tools=[docs])
    order, state = run(graph)
    assert order == ["agent", "tools", "agent", "tools", "agent", "finalize"]
    error = state["messages"][1]
    assert isinstance(error, ToolMessage) and error.status == "error"
    assert "no tool named 'teleport'" in error.content and "docs" in error.content
    assert state["answer"] == "purple-otter-42 [1]"
    assert state["citations"][0]["title"] == "guide.md"
    assert model.bound[0] == (["docs"], "any")
    assert model.bound[1][1] is None


def test_a_failing_tool_is_an_observation_and_the_run_goes_on():
    model = scripted(act("broken", "x"), act("docs", "wifi"), act("final_answer", "-"), "done [1]")
    graph = build_graph({"agent": model}, tools=[broken, docs], first_step="model")
    _, state = run(graph)
    errors = [m for m in state["messages"] if isinstance(m, ToolMessage) and m.status == "error"]
    assert len(errors) == 1 and "backend down" in errors[0].content
    assert state["stop_reason"] == "answered"


def test_long_observations_are_cut_to_the_budget():
    model = scripted(act("docs", "wifi"), act("final_answer", "-"), "ok")
    graph = build_graph(
        {"agent": model}, tools=[docs], first_step="model", max_observation_chars=40
    )
    _, state = run(graph)
    observation = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert observation.content.startswith("[1] guide.md")
    assert "more characters cut]" in observation.content
    assert len(observation.content.split("\n[...")[0]) <= 40


def test_citations_keep_the_numbers_the_observations_gave():
    model = scripted(act("docs", "wifi"), act("final_answer", "-"), "Lunch is at noon [2].")
    graph = build_graph({"agent": model}, tools=[docs], first_step="model")
    _, state = run(graph)
    observation = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert "[2] lunch.md" in observation.content
    assert [(c["number"], c["title"]) for c in state["citations"]] == [(2, "lunch.md")]
    assert state["answer"] == "Lunch is at noon [2]."
    assert [s["title"] for s in state["sources"]] == ["guide.md", "lunch.md"]


def test_empty_question_is_an_input_error():
    graph = build_graph({"agent": scripted()}, tools=[docs])
    with pytest.raises(InputError, match="question is empty"):
        run(graph, question=" ")


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError):
        build_graph({"agent": scripted()}, tools=[docs], max_steps=0)
    with pytest.raises(ValueError):
        build_graph({"agent": scripted()}, tools=[])


def test_a_knowledge_base_miss_is_no_numbered_source(store):
    from tools.knowledge_base_tool import make_knowledge_base_tool

    knowledge_base = make_knowledge_base_tool(store)
    model = scripted(
        act("knowledge_base", "wifi"), act("docs", "wifi"), act("final_answer", "-"), "It is [1]."
    )
    graph = build_graph({"agent": model}, tools=[knowledge_base, docs], first_step="model")
    _, state = run(graph)
    miss = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert miss.content.startswith("No passage in the knowledge base matches")
    assert [s["title"] for s in state["sources"]] == ["guide.md", "lunch.md"]
    assert [(c["number"], c["title"]) for c in state["citations"]] == [(1, "guide.md")]


def test_an_embedded_model_first_sends_the_question_to_every_retrieval_tool():
    def reply(prompt: str) -> str:
        return "It is purple-otter-42 [1]." if "purple-otter-42" in prompt else "It is 1234."

    graph = build_graph({"agent": embedded_model(reply)}, tools=[docs, calculator])
    order, state = run(graph)
    assert order[:2] == ["agent", "tools"]
    first = state["messages"][0]
    assert first.tool_calls == [
        {"name": "docs", "args": {"query": "What is the Wi-Fi password?"}, "id": ANY, "type": ANY}
    ]
    assert state["answer"] == "It is purple-otter-42 [1]."
    assert [c["title"] for c in state["citations"]] == ["guide.md"]
