"""Every team's spec says what the rest of teamgraph needs: request, stop words, text nodes."""

import typing

import pytest

from graphs.registry import TEAMS
from tools.calculator import calculator


def built(name):
    return TEAMS[name].build_graph(None, check_models=False, tools=[calculator])


def stop_reasons(graph) -> tuple[str, ...]:
    hint = typing.get_type_hints(graph.builder.state_schema)["stop_reason"]
    literals = [arg for arg in typing.get_args(hint) if typing.get_origin(arg) is typing.Literal]
    return tuple(reason for literal in literals for reason in typing.get_args(literal))


@pytest.mark.parametrize("name", sorted(TEAMS))
def test_every_stop_reason_of_a_team_is_said_in_words(name):
    spec = TEAMS[name]
    for reason in stop_reasons(built(name)):
        said = spec.in_words(reason)
        assert said.startswith(f"{reason} (") and said.endswith(")"), (name, reason)
    assert spec.in_words("max_calls") == "max_calls (the call limit was reached)"
    assert spec.in_words(None) == "finished"


def test_the_support_desk_and_compose_say_their_stops_in_words():
    assert TEAMS["support"].in_words("escalated") == "escalated (the case was handed to a person)"
    assert TEAMS["compose"].in_words("rendered") == "rendered (the music was written)"


@pytest.mark.parametrize("name", sorted(TEAMS))
def test_the_request_key_is_an_input_of_the_team(name):
    spec = TEAMS[name]
    assert spec.request_key in built(name).get_input_jsonschema()["properties"]
    assert spec.make_input("the request", "")[spec.request_key] == "the request"


def test_the_team_of_teams_streams_the_text_of_the_teams_inside_it():
    team = TEAMS["team"]
    inner = {node for spec in team.members().values() for node in spec.text_nodes}
    assert inner and inner <= team.streamed_text_nodes()
    assert TEAMS["writer"].streamed_text_nodes() == {"writer"}


def test_each_team_makes_its_live_view_from_the_run_settings():
    import io

    from rich.console import Console

    from graphs.react import DEFAULT_MAX_STEPS
    from graphs.research.narration import ResearchView

    console = Console(file=io.StringIO())
    assert TEAMS["writer"].view(console, {"max_revisions": 5}, False).narrator.cap == 5
    assert TEAMS["react"].view(console, {}, False).narrator.cap == DEFAULT_MAX_STEPS
    assert isinstance(TEAMS["research"].view(console, {}, False), ResearchView)
    team_view = TEAMS["team"].view(console, {}, False)
    assert set(team_view.members) == set(TEAMS["team"].members())


@pytest.mark.parametrize("name", sorted(TEAMS))
def test_the_result_key_is_what_the_team_reads_as_its_result(name):
    spec = TEAMS[name]
    state = {spec.result.key: "the best so far"}
    assert spec.result.best_so_far(state) == "the best so far"
    assert spec.read_result(state)["text"] == "the best so far"
    assert spec.result.best_so_far({}) == ""


def test_a_team_made_at_run_time_joins_the_registry_under_a_name_of_its_own(monkeypatch):
    import dataclasses

    from graphs import registry
    from tools.kernel.errors import InputError

    monkeypatch.setattr(registry, "TEAMS", dict(registry.TEAMS))
    echo = dataclasses.replace(registry.TEAMS["writer"], name="echo")
    assert registry.register(echo) is registry.team_spec("echo")
    with pytest.raises(InputError, match="already a team named 'research'"):
        registry.register(dataclasses.replace(echo, name="research"))
