"""What is printed is true: whatever a model writes, every [n] is the n-th listed source.

Property tests over random model outputs (markers in and out of range, grouped markers,
echoed prompt scaffolding) for the answer finisher and for every team that cites.
"""

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphs import react, research, team, writer
from tests.fakes import RoutedChatModel, scripted
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
from tests.unit_tests.test_react_graph import act, docs
from tests.unit_tests.test_research_graph import search
from tests.unit_tests.writer_script import PLAN, critique, verdict
from tools.citations import finish_answer

WORDS = ["Brazil", "won", "the", "cup", "in", "2002", "and", "Germany", "hosted", "it", "."]
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.integers(0, 12).map(lambda n: f"[{n}]"),
    st.lists(st.integers(1, 9), min_size=2, max_size=3).map(
        lambda ns: "[" + ", ".join(map(str, ns)) + "]"
    ),
    st.sampled_from(["\nTask 2 (Who won?): ", "\nQuestion: ", "\nAnswer: ", "\n"]),
)
answers = st.tuples(
    st.lists(pieces, max_size=25).map(" ".join),
    st.sampled_from(["", "\n\nSources:\n[1] A page\n[4] Another"]),
).map("".join)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MARKER = re.compile(r"\[(\d+)\]")


def assert_true_to_its_sources(text, citations, sources=None):
    markers = [int(n) for n in MARKER.findall(text)]
    assert all(1 <= n <= len(citations) for n in markers), (text, len(citations))
    assert [c["number"] for c in citations] == list(range(1, len(citations) + 1))
    first_use = list(dict.fromkeys(markers))
    assert first_use == list(range(1, len(first_use) + 1))
    assert not re.search(r"^\s*(Task \d+ \(|Question:|Answer:|Sources:)", text, re.M), text
    if sources is not None:
        assert [s["number"] for s in sources] == list(range(1, len(sources) + 1))
        assert sources[: len(citations)] == citations


def random_sources(count):
    return [
        {"kind": "web", "title": f"Page {i}", "url": f"https://x.test/{i}", "snippet": f"fact {i}"}
        for i in range(1, count + 1)
    ]


@SETTINGS
@given(answers, st.integers(0, 6))
def test_the_finisher_keeps_every_marker_true(answer, count):
    cited = finish_answer(answer, random_sources(count))
    assert_true_to_its_sources(cited.text, cited.citations, cited.sources)
    valid = sum(1 for n in MARKER.findall(answer.split("\n\nSources:")[0]) if 1 <= int(n) <= count)
    assert len(MARKER.findall(cited.text)) <= valid + sum(
        len(g.split(",")) for g in re.findall(r"\[(\d+(?:, \d+)+)\]", answer)
    )


def research_run(final_answer, planned, sub_answer_markers):
    """A planned research run on a scripted model whose finalizer writes ``final_answer``."""
    rules = [
        (DECIDER, decision("B")),
        (PLANNER, planned),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + sub_answer_markers),
        (REFLECT, sufficient(True)),
        (FINAL, final_answer),
    ]
    model = RoutedChatModel(rules=rules)
    graph = research.build_graph(
        dict.fromkeys(research.ROLES, model), tools=[search], tool_policy="model"
    )
    return graph.invoke({"question": "q"})


@SETTINGS
@given(answers)
def test_research_answers_and_task_bodies_are_true(answer):
    planned = plan((1, "alpha", []), (2, "beta", []), (3, "gamma", [1, 2]))
    state = research_run(answer, planned, " [1] [3]")
    assert_true_to_its_sources(state["answer"], state["citations"], state["sources"])
    report = research.report(state)
    for task in report["tasks"]:
        assert all(1 <= int(n) <= len(report["sources"]) for n in MARKER.findall(task["result"]))


@SETTINGS
@given(answers)
def test_react_answers_keep_the_numbers_of_the_observations(answer):
    model = scripted(act("docs", "wifi"), act("final_answer", "-"), answer)
    graph = react.build_graph({"agent": model}, tools=[docs], first_step="model")
    state = graph.invoke({"question": "q"})
    observed = re.findall(r"^\[(\d+)\] ([^ ]+)", state["messages"][1].content, re.M)
    numbered = [(s["number"], s["title"]) for s in state["sources"]]
    assert numbered == [(int(n), title) for n, title in observed]
    markers = {int(n) for n in MARKER.findall(state["answer"])}
    assert not markers or markers == {c["number"] for c in state["citations"]}
    assert all(c in state["sources"] for c in state["citations"])
    assert not re.search(r"^\s*(Task \d+ \(|Question:|Answer:|Sources:)", state["answer"], re.M)


@SETTINGS
@given(answers, answers)
def test_the_team_of_teams_result_is_true(research_answer, report_text):
    rules = [
        (DECIDER, decision("A")),
        (CHOOSER, json.dumps({"reason": "r", "tool": "search"})),
        (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
        (ANSWER, lambda p: echo_answer(p) + " [1]"),
        (FINAL, research_answer),
    ]
    model = RoutedChatModel(rules=rules)
    members = {
        "research": research.build_graph(
            dict.fromkeys(research.ROLES, model), tools=[search], tool_policy="model"
        ),
        "writer": writer.build_graph(
            {
                "manager": scripted(PLAN, verdict(True)),
                "writer": scripted(report_text.strip() or "A report."),
                "critic": scripted(critique(True, 9)),
            }
        ),
    }
    route = json.dumps({"reason": "r", "teams": ["research", "writer"]})
    graph = team.build_graph({"manager": scripted(route)}, teams=members)
    state = graph.invoke({"request": "a report"})
    assert_true_to_its_sources(state["final"], state["citations"])
    for output in state["outputs"]:
        assert_true_to_its_sources(output["text"], output["citations"])


QUERIES_ASKED = ["Who won?", "the sub-question", "a (nested) query", "x: y", "alpha"]
DECORATIONS = ["", "- ", "* ", "1. ", "**", "## ", "> ", "  "]
TASK_LABELS = [
    "Task {k} ({q})",
    "Task {k}",
    "Sub-task {k} ({q})",
    "Subtask {k}",
    "task {k} ({q})",
    "TASK {k} ({q})",
    "Task #{k} ({q})",
]
CLOSINGS = [":", "**:", ":**", " -", " —", ""]
task_lines = st.builds(
    lambda decoration, label, k, q, closing, rest: (
        "\n" + decoration + label.format(k=k, q=q) + closing + " " + rest
    ),
    st.sampled_from(DECORATIONS),
    st.sampled_from(TASK_LABELS),
    st.integers(1, 9),
    st.sampled_from(QUERIES_ASKED),
    st.sampled_from(CLOSINGS),
    st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
)
layout_pieces = st.one_of(
    pieces,
    task_lines,
    st.sampled_from(
        [
            "\nQuestion: who won?\n",
            "\nSub-task results:\n",
            "\nFinal answer: ",
            "\n**Answer:** ",
            "\nConversation so far:\n",
            "\n\nSources:\n[1] A page\n[2] Another\n\n",
        ]
    ),
)
finalizer_outputs = st.lists(layout_pieces, max_size=20).map(" ".join)
LABEL_AT_LINE_START = re.compile(
    r"^[\s\-*#>\d.]*(?:sub-?\s?)?task\s*#?\s*\d|^\W*(?:question|answer|final answer|"
    r"sub-?task results|sources|conversation so far)\s*\**\s*:",
    re.IGNORECASE | re.MULTILINE,
)


@SETTINGS
@given(finalizer_outputs)
def test_no_prompt_scaffolding_reaches_a_research_answer(answer):
    state = research_run(answer, plan((1, "Who won?", []), (2, "a (nested) query", [1])), " [1]")
    for text in (state["answer"], research.report(state)["answer"]):
        assert not LABEL_AT_LINE_START.search(text), text
        assert not re.search(r"task\s*#?\s*\d+\s*\(", text, re.IGNORECASE), text
    assert_true_to_its_sources(state["answer"], state["citations"], state["sources"])
