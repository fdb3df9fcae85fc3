"""A marker whose source does not hold its sentence is moved to the source that does."""

import pytest

from graphs import react
from graphs.common.answers import answer_report
from tests.fakes import scripted
from tests.unit_tests.test_react_graph import act, docs
from tools.citations import cite_as_observed, finish_answer, supported

SOURCES = [
    {"kind": "wikipedia", "title": "Cryptography", "snippet": "Cryptography secures messages."},
    {"kind": "tool", "title": "lookup", "snippet": "The Wi-Fi password is purple-otter-42."},
    {"kind": "wikipedia", "title": "Wi-Fi", "snippet": "Wi-Fi is a family of network protocols."},
]


def test_a_sentence_cited_to_a_source_without_it_cites_the_one_that_holds_it():
    cited = cite_as_observed("The Wi-Fi password is purple-otter-42. [1]", SOURCES)
    assert cited.text == "The Wi-Fi password is purple-otter-42. [2]"
    assert [c["title"] for c in cited.citations] == ["lookup"]
    assert cited.moved == 1


def test_each_sentence_is_checked_against_its_own_markers():
    answer = "The password is purple-otter-42 [1]. Cryptography secures messages [1]."
    cited = finish_answer(answer, SOURCES)
    assert cited.text == "The password is purple-otter-42 [1]. Cryptography secures messages [2]."
    assert [c["title"] for c in cited.citations] == ["lookup", "Cryptography"]
    assert cited.moved == 1


@pytest.mark.parametrize(
    "answer",
    [
        "Wi-Fi is a family of network protocols, and its password is purple-otter-42 [3].",
        "Bees make honey [1].",  # no source holds it: the model's marker stays
        "Purple otters live in rivers and eat fish [1].",  # a source must hold half the words
    ],
)
def test_a_marker_is_kept_unless_another_source_clearly_holds_the_sentence(answer):
    assert supported(answer, SOURCES) == (answer, 0)


def test_two_markers_that_end_on_one_source_are_one():
    assert supported("The Wi-Fi password is purple-otter-42 [1][2].", SOURCES) == (
        "The Wi-Fi password is purple-otter-42 [2].",
        1,
    )


def test_a_marker_naming_no_source_is_left_to_be_dropped():
    cited = finish_answer("The Wi-Fi password is purple-otter-42 [7].", SOURCES)
    assert (cited.text, cited.dropped, cited.moved) == (
        "The Wi-Fi password is purple-otter-42.",
        1,
        0,
    )


def test_a_react_answer_citing_the_wrong_observation_is_moved_and_counted():
    answer = "Lunch is at noon [1]. The Wi-Fi password is purple-otter-42 [2]."
    model = scripted(act("docs", "wifi"), act("final_answer", "-"), answer)
    graph = react.build_graph({"agent": model}, tools=[docs], first_step="model")
    state = graph.invoke({"question": "What is the Wi-Fi password?"})
    assert state["answer"] == "Lunch is at noon [2]. The Wi-Fi password is purple-otter-42 [1]."
    assert [c["title"] for c in state["citations"]] == ["guide.md", "lunch.md"]
    assert state["citations_moved"] == 2
    assert answer_report("react", state)["citations_moved"] == 2
