import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs.research import build_graph
from tests.fakes import RoutedChatModel, embedded_model
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
from tools.kernel.errors import InputError, ModelCallError
from tools.tool_addressing import mark_retrieval

ROLES = ("decider", "planner", "executor", "finalizer")


@tool(response_format="content_and_artifact")
def search(query: str) -> tuple[str, list[dict]]:
    """Search the web."""
    if "explode" in query:
        raise RuntimeError("search backend down")
    return f"found {query}", [
        {
            "kind": "web",
            "title": f"Page {query}",
            "url": f"https://x.test/{query.replace(' ', '_')}",
            "snippet": f"facts on {query}",
        }
    ]


mark_retrieval(search)


def team(rules, tools=(), delay_s=0.0, **settings_):
    model = RoutedChatModel(rules=rules, delay_s=delay_s)
    return build_graph(
        dict.fromkeys(ROLES, model), tools=list(tools), tool_policy="model", **settings_
    ), model


def run(graph, question="Hosts and winners?", **kwargs):
    order, state = [], {}
    for mode, payload in graph.stream(
        {"question": question}, stream_mode=["updates", "values"], **kwargs
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            state = payload
    return order, state


FOUR_AND_ONE = plan(
    (1, "host 2002", []),
    (2, "host 2006", []),
    (3, "winner 2002", []),
    (4, "winner 2006", []),
    (5, "table of all", [1, 2, 3, 4]),
)


def base_rules(the_plan=FOUR_AND_ONE, reflection=None, final="Final [1]."):
    return [
        (DECIDER, decision("B")),
        (PLANNER, the_plan),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, reflection or sufficient(True)),
        (FINAL, final),
    ]


def test_plan_runs_independent_tasks_together_then_the_dependent_one():
    graph, model = team(base_rules(), tools=[search], delay_s=0.05)
    order, state = run(graph)
    assert order == [
        "decide",
        "plan",
        "approve_plan",
        "execute",
        "execute",
        "execute",
        "execute",
        "execute",
        "run_tasks",
        "reflect",
        "finalize",
    ]
    assert model.peak == 4
    records = state["tasks"]
    assert {k: r["status"] for k, r in records.items()} == dict.fromkeys("12345", "done")
    assert records["5"]["result"] == "ANSWER<table of all> [1]"
    assert records["1"]["sources"][0]["url"] == "https://x.test/host_2002"
    assert records["1"]["usage"]["calls"] == 3
    assert state["stop_reason"] == "sufficient"
    assert state["answer"] == "Final [1]."
    assert state["citations"][0]["title"] == "Page host 2002"
    assert len(state["sources"]) == 5
    final_prompt = next(p for p in model.calls if FINAL in p)
    assert "Task 5 (table of all): ANSWER<table of all> [5]" in final_prompt


def test_each_task_sees_only_its_dependencies_results():
    the_plan = plan((1, "alpha", []), (2, "beta", []), (3, "gamma", [1]))
    rules = base_rules(the_plan)
    rules[4] = (ANSWER, lambda p: "MARKER-ALPHA-7731" if subtask(p) == "alpha" else echo_answer(p))
    graph, model = team(rules, tools=[search], max_concurrency=1)
    _, state = run(graph)
    prompts = {subtask(p): p for p in model.calls if ANSWER in p}
    assert model.calls.index(prompts["alpha"]) < model.calls.index(prompts["beta"])
    assert "MARKER-ALPHA-7731" not in prompts["beta"]
    assert "MARKER-ALPHA-7731" in prompts["gamma"]
    assert all("MARKER-ALPHA-7731" not in p for p in model.calls if CHOOSER in p and "beta" in p)
    assert state["tasks"]["2"]["context_chars"] == 0
    assert state["tasks"]["3"]["context_chars"] > 0


def test_all_results_scope_is_the_baseline_that_leaks_context():
    the_plan = plan((1, "alpha", []), (2, "beta", [1]), (3, "gamma", [2]))
    rules = base_rules(the_plan)
    rules[4] = (ANSWER, lambda p: "MARKER-ALPHA-7731" if subtask(p) == "alpha" else echo_answer(p))
    graph, model = team(rules, tools=[search], context_scope="all")
    run(graph)
    prompts = {subtask(p): p for p in model.calls if ANSWER in p}
    assert "MARKER-ALPHA-7731" in prompts["gamma"]


def test_simple_questions_take_the_direct_path():
    rules = [
        (DECIDER, decision("A")),
        (CHOOSER, json.dumps({"reason": "r", "tool": "internal_knowledge"})),
        (ANSWER, "Paris."),
        (FINAL, "Paris is the capital of France."),
    ]
    graph, model = team(rules, tools=[search])
    order, state = run(graph, "What is the capital of France?")
    assert order == ["decide", "execute", "run_tasks", "finalize"]
    assert state["plan"] == [{"id": 1, "query": "What is the capital of France?", "dependency": []}]
    assert state["tasks"]["1"]["tool"] == "internal_knowledge"
    assert state["stop_reason"] == "direct"
    assert not any(PLANNER in p or REFLECT in p for p in model.calls)


def test_replanning_stops_at_its_cap():
    counter = iter(range(1, 100))

    def reflection(_prompt):
        return sufficient(False, (f"missing fact {next(counter)}", [1]))

    graph, model = team(
        base_rules(plan((1, "first", [])), reflection=reflection), tools=[search], max_replans=2
    )
    order, state = run(graph)
    assert order.count("reflect") == 3
    assert state["replans"] == 2
    assert state["stop_reason"] == "max_replans"
    assert [t["id"] for t in state["plan"]] == [1, 2, 3]
    assert [state["tasks"][k]["round"] for k in "123"] == [0, 1, 2]
    assert state["plan"][1]["dependency"] == [1]


def test_zero_replans_never_adds_tasks():
    graph, _ = team(
        base_rules(plan((1, "first", [])), reflection=sufficient(False, ("more", []))),
        tools=[search],
        max_replans=0,
    )
    _, state = run(graph)
    assert state["stop_reason"] == "max_replans" and len(state["plan"]) == 1


def test_an_invalid_plan_is_reasked_then_repaired():
    cyclic = plan((1, "a", [2]), (2, "b", [1]), (3, "c", [9]))
    graph, model = team(base_rules(cyclic), tools=[search])
    _, state = run(graph)
    planner_prompts = [p for p in model.calls if PLANNER in p]
    assert len(planner_prompts) == 2
    assert "dependencies form a cycle" in planner_prompts[1]
    assert "task 3: dropped dependencies on [9]" in state["plan_repairs"]
    assert any(r.startswith("broke the cycle") for r in state["plan_repairs"])
    assert {r["status"] for r in state["tasks"].values()} == {"done"}


def test_an_unreadable_plan_falls_back_to_the_question_itself():
    rules = base_rules("no plan here")
    graph, _ = team(rules, tools=[search])
    _, state = run(graph, "Who won?")
    assert state["plan"] == [{"id": 1, "query": "Who won?", "dependency": []}]
    assert state["plan_repairs"] == ["the plan was empty: the question itself became the only task"]
    assert [(n["role"], n["decision"]) for n in state["fallbacks"]] == [("planner", "Plan")]


def test_every_unreadable_decision_is_marked_as_a_fallback():
    rules = [
        (DECIDER, "no idea"),
        (PLANNER, plan((1, "alpha", []))),
        (CHOOSER, "pick?"),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (REFLECT, "hmm"),
        (FINAL, "Final [1]."),
    ]
    graph, _ = team(rules, tools=[search])
    _, state = run(graph)
    marked = [(n["role"], n["decision"]) for n in state["fallbacks"]]
    assert marked == [
        ("decider", "AnswerType"),
        ("executor", "ToolChoice"),
        ("planner", "Reflection"),
    ]
    assert all(n["error"] for n in state["fallbacks"])
    assert [n["decision"] for n in state["tasks"]["1"]["fallbacks"]] == ["ToolChoice"]
    assert state["tasks"]["1"]["tool"] == "internal_knowledge"


def test_too_many_tasks_are_cut_to_max_tasks():
    big = plan(*[(i, f"t{i}", []) for i in range(1, 9)])
    graph, _ = team(base_rules(big), tools=[search], max_tasks=3)
    _, state = run(graph)
    assert len(state["plan"]) == 3 and "cut the plan from 8 to 3 tasks" in state["plan_repairs"]


def test_a_failing_tool_and_a_failing_model_call_do_not_stop_the_others():
    the_plan = plan((1, "explode now", []), (2, "model dies", []), (3, "fine", []))
    rules = base_rules(the_plan)
    rules.insert(
        0, ("Sub-task: model dies\n\nAnswer", ModelCallError("The executor model timed out"))
    )
    graph, _ = team(rules, tools=[search])
    _, state = run(graph)
    tasks = state["tasks"]
    assert tasks["1"]["status"] == "done" and tasks["1"]["sources"] == []
    assert tasks["1"]["tool_errors"] == ["error: search failed (RuntimeError: search backend down)"]
    assert tasks["2"]["status"] == "failed" and "timed out" in tasks["2"]["error"]
    assert tasks["3"]["status"] == "done" and tasks["3"]["tool_errors"] == []
    assert state["answer"] == "Final [1]."


def test_max_concurrency_bounds_parallel_calls():
    graph, model = team(base_rules(), tools=[search], delay_s=0.05, max_concurrency=2)
    order, state = run(graph)
    assert model.peak == 2
    assert order.count("execute") == 5


def test_follow_up_question_sees_the_earlier_turn():
    rules = [
        (DECIDER, decision("A")),
        (CHOOSER, json.dumps({"reason": "r", "tool": "internal_knowledge"})),
        (ANSWER, lambda p: "Spain won in 2010." if "2010" in p else "Argentina won in 2022."),
        (FINAL, lambda p: "Spain." if "2010" in p.split("Question:")[-1] else "Argentina."),
    ]
    graph, model = team(rules, tools=[search], checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "cup"}}
    first = graph.invoke({"question": "Who won the 2022 World Cup?"}, config)
    assert first["answer"] == "Argentina."
    second = graph.invoke({"question": "and who won in 2010?"}, config)
    assert second["answer"] == "Spain."
    decider_prompt = [p for p in model.calls if DECIDER in p][-1]
    assert "Q: Who won the 2022 World Cup?\nA: Argentina." in decider_prompt
    executor_prompt = [p for p in model.calls if ANSWER in p][-1]
    assert "Who won the 2022 World Cup?" in executor_prompt
    assert second["turns"] == [
        {"question": "Who won the 2022 World Cup?", "answer": "Argentina."},
        {"question": "and who won in 2010?", "answer": "Spain."},
    ]
    assert list(second["tasks"]) == ["1"] and second["usage"]["decider"]["calls"] == 1


def test_empty_question_is_an_input_error():
    graph, _ = team(base_rules(), tools=[search])
    with pytest.raises(InputError):
        run(graph, "  ")


dags = st.integers(min_value=1, max_value=7).flatmap(
    lambda n: st.tuples(
        *[
            st.lists(st.integers(min_value=1, max_value=max(i, 1)), max_size=3).map(
                lambda ds, i=i: sorted({d for d in ds if d < i})
            )
            for i in range(1, n + 1)
        ]
    )
)


@given(dags, st.integers(min_value=1, max_value=4))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_graph_runs_every_task_once_and_only_after_its_dependencies(deps, width):
    the_plan = plan(*[(i, f"task-{i}", d) for i, d in enumerate(deps, start=1)])
    started: list[str] = []
    lock = threading.Lock()

    def answer(prompt: str) -> str:
        name = subtask(prompt)
        with lock:
            started.append(name)
        return f"DONE<{name}>"

    rules = [
        (DECIDER, decision("B")),
        (PLANNER, the_plan),
        (ANSWER, answer),
        (REFLECT, sufficient(True)),
        (FINAL, "ok"),
    ]
    graph, model = team(rules, tools=[], max_concurrency=width, max_tasks=7)
    _, state = run(graph)
    assert sorted(started) == sorted(f"task-{i}" for i in range(1, len(deps) + 1))
    prompts = {subtask(p): p for p in model.calls if ANSWER in p}
    for i, dependency in enumerate(deps, start=1):
        for d in dependency:
            assert started.index(f"task-{d}") < started.index(f"task-{i}")
            assert f"DONE<task-{d}>" in prompts[f"task-{i}"]
    assert all(r["status"] == "done" for r in state["tasks"].values())


def test_whitespace_only_queries_are_refused_after_stripping_never_crash():
    rules = base_rules(
        plan((1, "   ", []), (2, "beta", [])),
        reflection=sufficient(False, (" \t ", [])),
    )
    rules.insert(3, (QUERIES, json.dumps({"queries": ["  "]})))
    graph, model = team(rules, tools=[search], max_replans=1)
    order, state = run(graph)
    assert order[-1] == "finalize" and state["answer"] == "Final [1]."
    queries = [t["query"] for t in state["plan"]]
    assert all(q.strip() for q in queries) and "   " not in queries
    assert all(r["status"] == "done" for r in state["tasks"].values())
    assert all(q.strip() for r in state["tasks"].values() for q in r.get("queries", []))
    planner_prompts = [p for p in model.calls if "You break a question" in p]
    assert any("at least 1 character" in p for p in planner_prompts)


def test_a_person_editing_a_task_to_blank_is_told_and_the_approval_stays():
    from langgraph.types import Command

    graph, _ = team(base_rules(), tools=[search], checkpointer=InMemorySaver(), approve_plan=True)
    config = {"configurable": {"thread_id": "blank"}}
    graph.invoke({"question": "Q?"}, config)
    blank = {"action": "edit", "tasks": [{"id": 1, "query": "  ", "dependency": []}]}
    graph.invoke(Command(resume=blank), config)
    [pending] = [i.value for t in graph.get_state(config).tasks for i in t.interrupts]
    assert "cannot be used" in pending["error"] and "at least 1 character" in pending["error"]


def test_a_re_plan_cannot_ask_again_or_state_instead_of_asking():
    batches = iter(
        [
            sufficient(
                False, ("what was found first", []), ("Dropped before", []), ("host 2002", [])
            ),
            sufficient(False, ("Brazil won the cup.", []), ("Host 2002?", [])),
        ]
    )
    rules = base_rules(
        plan((1, "What was found first?", []), (2, "Dropped before.", [])),
        reflection=lambda _p: next(batches),
    )
    graph, model = team(rules, tools=[search], max_replans=2)
    _, state = run(graph)
    assert [t["query"] for t in state["plan"]] == ["What was found first?", "host 2002"]
    assert state["stop_reason"] == "no_new_tasks"
    assert state["plan_repairs"] == [
        "dropped task 2 (a statement, not a question)",
        "re-plan: dropped 'what was found first' (asked before in this run)",
        "re-plan: dropped 'Dropped before' (asked before in this run)",
        "re-plan: dropped 'Brazil won the cup.' (a statement, not a question)",
        "re-plan: dropped 'Host 2002?' (asked before in this run)",
    ]
    assert sum("Sub-task: host 2002" in p for p in model.calls) >= 1


def test_a_reflection_both_sufficient_and_adding_tasks_is_reasked():
    replies = iter([sufficient(True, ("What else?", [])), sufficient(True)])
    graph, model = team(base_rules(reflection=lambda _p: next(replies)), tools=[search])
    _, state = run(graph)
    assert state["stop_reason"] == "sufficient" and len(state["plan"]) == 5
    reflect_prompts = [p for p in model.calls if "You check whether the results" in p]
    assert len(reflect_prompts) == 2 and "sufficient, yet with new tasks" in reflect_prompts[1]


def answer_from_what_is_given(prompt: str) -> str:
    """Cite a source when the prompt holds one, else answer from memory (no tool call)."""
    return "Paris [1]." if "facts on" in prompt else "Paris, from memory."


class ProviderExecutor(BaseChatModel):
    """A provider's model that calls tools natively, answering here without a provider."""

    @property
    def _llm_type(self) -> str:
        return "provider"

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        text = answer_from_what_is_given("\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


@pytest.mark.parametrize("embedded", [True, False])
def test_by_default_an_embedded_executor_searches_and_a_provider_model_chooses_its_tools(
    embedded,
):
    others = RoutedChatModel(
        rules=[
            (DECIDER, decision("A")),
            (FINAL, lambda p: "Paris [1]." if "[1]" in p else "Paris."),
        ]
    )
    executor = embedded_model(answer_from_what_is_given) if embedded else ProviderExecutor()
    models = {"decider": others, "planner": others, "executor": executor, "finalizer": others}
    order, state = run(build_graph(models, tools=[search]), "What is the capital of France?")
    assert order == ["decide", "execute", "run_tasks", "finalize"]
    task = state["tasks"]["1"]
    if embedded:
        assert task["tool"] == "search" and task["result"] == "Paris [1]."
        assert [c["title"] for c in state["citations"]] == ["Page What is the capital of France?"]
    else:
        assert task["result"] == "Paris, from memory." and not task.get("sources")
        assert state["citations"] == []


def one_search_then(found, final):
    """Rules of a direct run: one task searches once and finds ``found``; the finalizer
    replies ``final``."""
    return [
        (DECIDER, decision("A")),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": ["highest mountain Japan"]})),
        (ANSWER, found),
        (FINAL, final),
    ]


def test_a_final_answer_that_only_repeats_the_question_gives_the_results_instead():
    question = "日本で一番高い山は何ですか？"
    rules = one_search_then("Mount Fuji, 3,776 m [1].", f"{question}[1] [2] [3]")
    graph, model = team(rules, tools=[search])
    order, state = run(graph, question)
    assert order[-1] == "finalize"
    assert state["answer"] == "Mount Fuji, 3,776 m [1]."
    assert [c["title"] for c in state["citations"]] == ["Page highest mountain Japan"]
    assert state["fallbacks"][-1]["role"] == "finalizer"
    asked = [prompt for prompt in model.calls if FINAL in prompt]
    assert len(asked) == 1 and "Write the answer, not the question." in asked[0]


def test_an_answer_that_begins_with_the_question_is_kept():
    question = "What is the highest mountain in Japan?"
    graph, _ = team(
        one_search_then("Mount Fuji [1].", f"{question} Mount Fuji [1]."), tools=[search]
    )
    _, state = run(graph, question)
    assert state["answer"] == f"{question} Mount Fuji [1]." and not state.get("fallbacks")
