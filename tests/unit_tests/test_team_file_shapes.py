"""Team files compiled to graphs, run on scripted models: each shape's node order, roles
at work at the same time, votes and merges, loops that stop at their cap, teams inside a
team, and usage that equals the calls made."""

import json

import pytest

from graphs.teamfile import load_team
from tests.unit_tests.team_file_script import (
    SOURCED,
    critique,
    nodes_run,
    pick,
    routed,
    scripted_team,
    vote,
    write_team,
)
from tests.unit_tests.writer_script import PLAN, verdict
from tests.unit_tests.writer_script import critique as writer_critique

SEQUENTIAL = """\
    name: chain
    shape: sequential
    roles:
      - name: finder
        role: You are the finder.
      - name: analyst
        role: You are the analyst.
      - name: writer
        role: You are the writer.
"""


def test_sequential_roles_run_in_file_order_each_given_only_the_previous_work(tmp_path):
    model = routed(
        ("You are the finder", "FACT-ONE"),
        ("You are the analyst", "ANALYSIS-TWO"),
        ("You are the writer", "BRIEF-THREE"),
    )
    graph = scripted_team(write_team(tmp_path, "chain", SEQUENTIAL), model)
    assert nodes_run(graph, "Brief on kettles") == [
        "start",
        "finder",
        "analyst",
        "writer",
        "finish",
    ]
    finder, analyst, writer = model.calls
    assert "Brief on kettles" in finder and "FACT-ONE" in analyst
    assert "ANALYSIS-TWO" in writer and "FACT-ONE" not in writer
    state = graph.invoke({"request": "Brief on kettles"})
    assert (state["final"], state["stop_reason"]) == ("BRIEF-THREE", "done")
    assert [o["role"] for o in state["outputs"]] == ["finder", "analyst", "writer"]


MERGE = """\
    name: critics
    shape: broadcast
    aggregate: merge
    roles:
      - name: style
        role: You review style.
      - name: facts
        role: You review facts.
      - name: flow
        role: You review flow.
    aggregator:
      name: editor
      role: You merge the reviews.
"""


def test_broadcast_roles_run_at_the_same_time_and_the_aggregator_merges_them(tmp_path):
    model = routed(
        ("You merge the reviews", "MERGED"),
        ("You review style", "STYLE-NOTE"),
        ("You review facts", "FACT-NOTE"),
        ("You review flow", "FLOW-NOTE"),
        delay_s=0.3,
    )
    graph = scripted_team(write_team(tmp_path, "critics", MERGE), model)
    order = nodes_run(graph, "Review this")
    assert order[0] == "start" and order[-2:] == ["editor", "finish"]
    assert sorted(order[1:4]) == ["facts", "flow", "style"]
    assert model.peak == 3, "the three roles should answer at once"
    merge_prompt = model.calls[-1]
    assert all(note in merge_prompt for note in ("STYLE-NOTE", "FACT-NOTE", "FLOW-NOTE"))
    state = graph.invoke({"request": "Review this"})
    assert (state["final"], state["stop_reason"]) == ("MERGED", "merged")


VOTE = """\
    name: voters
    shape: broadcast
    aggregate: vote
    roles:
      - name: solver
        role: You solve it.
        samples: 3
      - name: checker
        role: You check it.
    aggregator:
      name: judge
      role: You judge ties.
"""


def test_a_vote_keeps_the_majority_of_normalised_answers_without_asking_the_judge(tmp_path):
    answers = iter(["Paris", "paris.", "The Paris"])
    model = routed(
        ("You judge ties", AssertionError("no tie here")),
        ("You solve it", lambda prompt: vote(next(answers))),
        ("You check it", vote("Lyon")),
    )
    state = scripted_team(write_team(tmp_path, "voters", VOTE), model).invoke(
        {"request": "Capital?"}
    )
    assert len(state["votes"]) == 4 and state["stop_reason"] == "majority"
    assert state["final"] in ("Paris", "paris.", "The Paris")
    assert len(model.calls) == 4


def test_a_tied_vote_goes_to_the_aggregator(tmp_path):
    text = VOTE.replace("samples: 3", "samples: 1")
    model = routed(
        ("You judge ties", '{"reason": "the second is right", "choice": 2}'),
        ("You solve it", vote("Paris")),
        ("You check it", vote("Lyon")),
    )
    state = scripted_team(write_team(tmp_path, "voters", text), model).invoke(
        {"request": "Capital?"}
    )
    assert (state["final"], state["stop_reason"]) == ("Lyon", "tie")
    assert "Paris" in model.calls[-1] and "Lyon" in model.calls[-1]


SUPERVISOR = """\
    name: managed
    shape: supervisor
    max_rounds: 2
    roles:
      - name: boss
        role: You are the boss.
      - name: writer
        role: You are the writer.
      - name: critic
        role: You are the critic.
"""


def test_a_supervisor_that_never_finishes_stops_at_max_rounds(tmp_path):
    model = routed(("You are the boss", pick("writer")), ("You are the writer", "DRAFT"))
    graph = scripted_team(write_team(tmp_path, "managed", SUPERVISOR), model)
    order = nodes_run(graph, "An essay")
    assert order == ["start", "boss", "writer", "boss", "writer", "boss", "finish"]
    state = graph.invoke({"request": "An essay"})
    assert (state["stop_reason"], state["final"]) == ("max_rounds", "DRAFT")
    boss_calls = [c for c in model.calls if "You are the boss" in c]
    assert len(boss_calls) == 2 * 2, "no manager call once the cap is reached"


def test_a_supervisor_stopped_at_max_rounds_answers_with_the_work_its_manager_named(tmp_path):
    picks = iter([pick("writer"), pick("critic", "writer")])
    model = routed(
        ("You are the boss", lambda prompt: next(picks)),
        ("You are the writer", "DRAFT"),
        ("You are the critic", "NOTES"),
    )
    graph = scripted_team(write_team(tmp_path, "managed", SUPERVISOR), model)
    state = graph.invoke({"request": "An essay"})
    assert [output["role"] for output in state["outputs"]] == ["writer", "critic"]
    assert (state["stop_reason"], state["final"]) == ("max_rounds", "DRAFT")


def test_a_supervisor_pick_is_limited_to_its_roles_or_finish(tmp_path):
    picks = iter([pick("writer"), pick("critic", "writer"), pick("finish", "writer")])
    model = routed(
        ("You are the boss", lambda prompt: next(picks)),
        ("You are the writer", "DRAFT"),
        ("You are the critic", "NOTES"),
    )
    graph = scripted_team(write_team(tmp_path, "managed", SUPERVISOR), model, max_rounds=5)
    state = graph.invoke({"request": "An essay"})
    assert [p["next"] for p in state["picks"]] == ["writer", "critic", "finish"]
    assert (state["stop_reason"], state["final"]) == ("finished", "DRAFT")

    nobody = routed(
        ("You are the boss", pick("nobody")),
        ("You are the writer", "DRAFT"),
        ("You are the critic", "NOTES"),
    )
    graph = scripted_team(write_team(tmp_path, "managed", SUPERVISOR), nobody)
    state = graph.invoke({"request": "An essay"})
    assert state["picks"][0]["fallback"] and state["picks"][0]["next"] == "writer"
    assert state["fallbacks"][0]["role"] == "boss"


REFLECTION = """\
    name: loop
    shape: reflection
    max_rounds: 2
    roles:
      - name: author
        role: You are the author.
      - name: reviewer
        role: You are the reviewer.
"""


@pytest.mark.parametrize(
    ("verdicts", "order", "stop"),
    [
        ([False, True], ["author", "reviewer"] * 2, "approved"),
        ([False, False, False], ["author", "reviewer"] * 3, "max_rounds"),
    ],
)
def test_reflection_rewrites_until_approved_or_max_rounds(tmp_path, verdicts, order, stop):
    said = iter(critique(approved) for approved in verdicts)
    drafts = iter(f"DRAFT-{n}" for n in range(1, 5))
    model = routed(
        ("You are the reviewer", lambda prompt: next(said)),
        ("You are the author", lambda prompt: next(drafts)),
    )
    graph = scripted_team(write_team(tmp_path, "loop", REFLECTION), model)
    assert nodes_run(graph, "A poem") == ["start", *order, "finish"]
    assert len(model.calls) == len(order)


def test_reflection_state_says_why_it_stopped(tmp_path):
    model = routed(("You are the reviewer", critique(False)), ("You are the author", "DRAFT"))
    state = scripted_team(write_team(tmp_path, "loop", REFLECTION), model).invoke({"request": "x"})
    assert state["stop_reason"] == "max_rounds" and len(state["critiques"]) == 3
    author_calls = [c for c in model.calls if "You are the author" in c]
    assert "tighten it" in author_calls[-1], "a rewrite gets the reviewer's feedback"


INNER = """\
    name: inner
    shape: sequential
    roles:
      - name: gatherer
        role: You are the gatherer.
"""

OUTER = """\
    name: outer
    shape: sequential
    roles:
      - name: facts
        team_file: inner.yaml
      - name: draft
        team: writer
      - name: editor
        role: You are the editor.
"""

WRITER_TEAM = (
    ("Plan a short piece", PLAN),
    ("Judge whether the finished piece", verdict(True)),
    ("You are a skilled Writer", "WRITER-TEAM-DRAFT"),
    ("You are a demanding Critic", writer_critique(True, 9)),
)


def test_a_team_file_and_a_built_in_team_play_roles(tmp_path):
    write_team(tmp_path, "inner", INNER)
    model = routed(
        *WRITER_TEAM,
        ("You are the gatherer", "GATHERED"),
        ("You are the editor", "EDITED"),
    )
    path = write_team(tmp_path, "outer", OUTER)
    graph = load_team(path, {"facts": model, "draft": model, "editor": model}, check_models=False)
    assert nodes_run(graph, "Bees") == ["start", "facts", "draft", "editor", "finish"]
    first_run = len(model.calls)
    state = graph.invoke({"request": "Bees"})
    assert [o["role"] for o in state["outputs"]] == ["facts", "draft", "editor"]
    assert [state["outputs"][0]["text"], state["final"]] == ["GATHERED", "EDITED"]
    assert "GATHERED" in next(c for c in model.calls if "Plan a short piece" in c)
    assert "WRITER-TEAM-DRAFT" in model.calls[-1]
    assert {"facts/gatherer", "draft/writer", "draft/critic", "editor"} <= set(state["usage"])
    assert sum(u["calls"] for u in state["usage"].values()) == len(model.calls) - first_run


def test_usage_per_role_equals_the_calls_made_and_limits_stop_the_run(tmp_path):
    model = routed(
        ("You are the finder", "FACT-ONE"),
        ("You are the analyst", "ANALYSIS-TWO"),
        ("You are the writer", "BRIEF-THREE"),
    )
    path = write_team(tmp_path, "chain", SEQUENTIAL)
    state = scripted_team(path, model).invoke({"request": "x"})
    assert {role: u["calls"] for role, u in state["usage"].items()} == dict.fromkeys(
        ("finder", "analyst", "writer"), 1
    )
    assert len(model.calls) == 3

    capped = routed(("You are", "WORK"))
    state = scripted_team(path, capped, max_calls=2).invoke({"request": "x"})
    assert state["stop_reason"] == "max_calls" and len(capped.calls) == 2
    assert sum(u["calls"] for u in state["usage"].values()) == 2
    assert state["final"] == "WORK"


def test_studio_serves_the_team_files_the_project_file_lists(tmp_path, monkeypatch):
    import importlib

    from graphs import registry
    from graphs.teamfile import studio

    write_team(tmp_path, "chain", SEQUENTIAL)
    config = tmp_path / "teamgraph.toml"
    config.write_text('[teams]\nfiles = ["chain.yaml"]\n')
    monkeypatch.setenv("TEAMGRAPH_CONFIG", str(config))
    entry = registry.langgraph_config()["graphs"]["chain"]
    assert entry == "./graphs/teamfile/studio.py:team_file_chain"
    served = importlib.reload(studio).team_file_chain()
    assert {"finder", "analyst", "writer"} <= set(served.get_graph().nodes)
    assert served.name == "chain"


def step(action: str, value: str = "kettles") -> str:
    return json.dumps({"thought": "next", "action": action, "action_input": value})


def test_a_role_with_tools_is_a_bounded_react_agent_and_its_sources_reach_the_result(
    tmp_path, monkeypatch
):
    from tests.fakes import make_instant_search
    from tools.built_in_tools import Toolbox

    monkeypatch.setattr(
        "graphs.teamfile.builder.named_toolbox", lambda names: Toolbox([make_instant_search()])
    )
    model = routed(
        ("decide on one action", lambda prompt: step("search")),
        ("You answer questions from the numbered sources", "Kettles boil water [1]."),
        ("You are the writer", "A brief: kettles boil water [1]."),
    )
    path = write_team(tmp_path, "sourced", SOURCED)
    state = scripted_team(path, model, max_steps=2).invoke({"request": "Kettles"})
    steps = [c for c in model.calls if "decide on one action" in c]
    assert len(steps) == 1, "the first search needs no model; the step cap (2) ends the loop"
    assert "You are this role: You are the researcher." in steps[0]
    researcher, writer = state["outputs"]
    assert researcher["citations"][0]["url"].startswith("https://example.org/")
    assert "Sources:\n[1]" in model.calls[-1]
    assert state["final"] == "A brief: kettles boil water [1]."
    assert state["citations"] == researcher["citations"]
    assert state["usage"]["researcher"]["calls"] == 2 and len(model.calls) == 3


def test_a_call_limit_stops_roles_working_at_once_and_usage_equals_the_calls_made(tmp_path):
    model = routed(("You merge the reviews", "MERGED"), ("You review", "NOTE"), delay_s=0.1)
    path = write_team(tmp_path, "critics", MERGE)
    state = scripted_team(path, model, max_calls=2).invoke({"request": "Review this"})
    assert state["stop_reason"] == "max_calls" and state["budget_stop"]["limit"] == "max_calls"
    assert len(model.calls) == 2 == sum(u["calls"] for u in state["usage"].values())
    assert state["final"] == "NOTE", "the best work so far is the result"


def test_a_single_model_where_a_role_mapping_belongs_is_said_before_the_run():
    from tests.unit_tests.team_file_script import EXAMPLES
    from tools.kernel.errors import ModelConfigError

    with pytest.raises(ModelConfigError, match="models maps each role to its model"):
        load_team(EXAMPLES / "essay-loop.yaml", "local", check_models=False)
