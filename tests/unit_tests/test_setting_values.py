"""A run's settings from Python or JSON: a misspelt name or a wrong type is one line naming it."""

import dataclasses
import pickle

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs import research, writer
from graphs.research.settings import ResearchSettings
from graphs.support.settings import SupportSettings
from tests.fakes import ScriptedChatModel
from tests.unit_tests.writer_script import PLAN, critique


def writer_models() -> dict[str, ScriptedChatModel]:
    return {
        "manager": ScriptedChatModel(script=[PLAN], cycle=True),
        "writer": ScriptedChatModel(script=["draft text"], cycle=True),
        "critic": ScriptedChatModel(script=[critique(True)], cycle=True),
    }


def test_a_misspelt_run_setting_is_named_with_the_one_meant_before_anything_runs():
    models = writer_models()
    saver = InMemorySaver()
    graph = writer.build_graph(models, checkpointer=saver)
    config = {"configurable": {"thread_id": "t"}}
    with pytest.raises(TypeError) as refused:
        graph.invoke({"topic": "bees"}, config, context={"max_revision": 1})
    message = str(refused.value)
    assert "has no setting max_revision (did you mean max_revisions?)" in message
    assert "its settings are max_calls, max_tokens_total, max_revisions" in message
    assert not any(model.calls for model in models.values())
    assert saver.get_tuple(config) is None


@pytest.mark.parametrize(
    ("context", "line"),
    [
        ({"max_revisions": "two"}, "max_revisions must be a whole number, not 'two'."),
        ({"max_revisions": True}, "max_revisions must be a whole number, not True."),
        ({"approve_draft": "yes"}, "approve_draft must be true or false, not 'yes'."),
        ({"max_calls": 2.5}, "max_calls must be a whole number or none, not 2.5."),
        ({"writer_model": 7}, "writer_model must be text, not 7."),
    ],
)
def test_a_run_setting_of_the_wrong_type_is_named_with_what_it_takes(context, line):
    models = writer_models()
    graph = writer.build_graph(models)
    with pytest.raises(TypeError) as refused:
        graph.invoke({"topic": "bees"}, context=context)
    assert str(refused.value) == line
    assert not any(model.calls for model in models.values())


def test_a_choice_outside_its_words_lists_them():
    with pytest.raises(TypeError) as refused:
        research.build_graph(tool_policy="nativ")
    assert str(refused.value) == (
        "tool_policy must be one of auto, native, model, search, not 'nativ'."
    )
    with pytest.raises(TypeError, match="did you mean max_tasks"):
        research.build_graph(max_task=2)


def test_values_of_the_declared_types_are_taken_as_they_are():
    settings = ResearchSettings(tool_timeout_s=30, max_calls=None, answer_type="B")
    assert settings.tool_timeout_s == 30 and settings.answer_type == "B"
    assert SupportSettings(feedback=None).feedback is None
    assert SupportSettings(feedback=4).feedback == 4
    assert dataclasses.replace(settings, max_tasks=2).max_tasks == 2
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_a_team_made_with_other_defaults_checks_its_runs_the_same_way():
    graph = research.build_graph(max_tasks=2)
    with pytest.raises(TypeError, match="max_concurrency must be a whole number, not '3'"):
        graph.invoke({"question": "q"}, context={"max_concurrency": "3"})
