import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agents.critic import CRITIC_SYSTEM, FALLBACK_CRITIQUE
from agents.manager import PLAN_SYSTEM, REVIEW_SYSTEM
from agents.writer import WRITER_SYSTEM
from graphs.writer import WriterSettings, build_graph
from tests.fakes import ScriptedChatModel, scripted, system_prompts
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.kernel.errors import InputError, ModelCallError, ModelConfigError


def team(manager: list, writer: list, critic: list, **settings):
    models = {
        "manager": scripted(*manager, label="manager"),
        "writer": scripted(*writer, label="writer"),
        "critic": scripted(*critic, label="critic"),
    }
    return build_graph(models, **settings), models


def run(graph, topic: str = "why bees matter", **kwargs) -> tuple[list[str], dict]:
    order: list[str] = []
    final: dict = {}
    for mode, payload in graph.stream(
        {"topic": topic}, stream_mode=["updates", "values"], **kwargs
    ):
        if mode == "updates":
            order.extend(payload)
        else:
            final = payload
    return order, final


def assert_consumed(models: dict[str, ScriptedChatModel]) -> None:
    for role, model in models.items():
        assert model.exhausted, f"{role} script not fully used"


def test_approved_at_once():
    graph, models = team([PLAN, verdict(True)], [draft(1)], [critique(True, 9)])
    order, state = run(graph)
    assert order == ["manager_plan", "writer", "critic", "manager_review", "approve_draft"]
    assert state["final_text"] == draft(1)
    assert state["stop_reason"] == "approved"
    assert state["revisions"] == 0
    assert state["drafts"] == [draft(1)]
    assert [c["approved"] for c in state["critiques"]] == [True]
    assert state["plan"]["audience"] == "curious adults"
    assert_consumed(models)


def test_approved_after_two_revisions_feeds_feedback_to_writer():
    graph, models = team(
        [PLAN, verdict(True)],
        [draft(1), draft(2), draft(3)],
        [
            critique(False, 3, "Add numbers."),
            critique(False, 5, "Cite a study."),
            critique(True, 8),
        ],
    )
    order, state = run(graph)
    assert order == [
        "manager_plan",
        "writer",
        "critic",
        "writer",
        "critic",
        "writer",
        "critic",
        "manager_review",
        "approve_draft",
    ]
    assert state["revisions"] == 2
    assert state["drafts"] == [draft(1), draft(2), draft(3)]
    assert state["final_text"] == draft(3)
    assert state["stop_reason"] == "approved"
    writer_prompts = models["writer"].prompts_text()
    assert "Add numbers." in writer_prompts[1] and draft(1) in writer_prompts[1]
    assert "Cite a study." in writer_prompts[2] and draft(2) in writer_prompts[2]
    assert "Add numbers." not in writer_prompts[2]
    assert [c["draft"] for c in state["critiques"]] == [0, 1, 2]
    assert_consumed(models)


def test_never_approved_stops_at_the_cap_and_says_so():
    graph, models = team(
        [PLAN, verdict(True)],
        [draft(1), draft(2), draft(3)],
        [critique(False), critique(False), critique(False)],
        max_revisions=2,
    )
    order, state = run(graph)
    assert order.count("writer") == 3
    assert order[-2:] == ["manager_review", "approve_draft"]
    assert state["revisions"] == 2
    assert state["stop_reason"] == "max_revisions"
    assert state["final_text"] == draft(3)
    assert len(state["critiques"]) == 3
    assert_consumed(models)


def test_zero_revisions_goes_straight_to_the_manager():
    graph, models = team([PLAN, verdict(True)], [draft(1)], [critique(False)], max_revisions=0)
    order, state = run(graph)
    assert order == ["manager_plan", "writer", "critic", "manager_review", "approve_draft"]
    assert state["stop_reason"] == "max_revisions"
    assert_consumed(models)


def test_malformed_critic_output_is_reasked_then_falls_back():
    graph, models = team(
        [PLAN, verdict(True)],
        [draft(1)],
        [
            "I think it is good!",
            '{"approved": "perhaps", "score": 4, "feedback": "x"}',
            '{"approved": true, "score": 42, "feedback": "x"}',
        ],
        max_revisions=0,
    )
    order, state = run(graph)
    assert order == ["manager_plan", "writer", "critic", "manager_review", "approve_draft"]
    record = state["critiques"][0]
    assert record["fallback"] is True
    assert [(n["role"], n["decision"]) for n in state["fallbacks"]] == [("critic", "Critique")]
    assert record["attempts"] == 3
    assert record["approved"] is False
    assert record["feedback"] == FALLBACK_CRITIQUE.feedback
    prompts = models["critic"].prompts_text()
    assert "no JSON object" in prompts[1]
    assert "approved" in prompts[2] and "boolean" in prompts[2].lower()
    assert "score" in models["critic"].prompts_text()[-1]
    assert state["usage"]["critic"]["calls"] == 3
    assert_consumed(models)


def test_malformed_critic_output_recovers_on_reask():
    graph, models = team([PLAN, verdict(True)], [draft(1)], ["not json at all", critique(True, 9)])
    _, state = run(graph)
    assert state["critiques"][0]["attempts"] == 2
    assert state["critiques"][0]["fallback"] is False
    assert state["stop_reason"] == "approved"
    assert_consumed(models)


def test_manager_sends_the_piece_back_once_with_instructions():
    graph, models = team(
        [PLAN, verdict(False, "Open with a striking fact."), verdict(True)],
        [draft(1), draft(2)],
        [critique(True), critique(True)],
    )
    order, state = run(graph)
    assert order == [
        "manager_plan",
        "writer",
        "critic",
        "manager_review",
        "writer",
        "critic",
        "manager_review",
        "approve_draft",
    ]
    assert "Open with a striking fact." in models["writer"].prompts_text()[1]
    assert state["manager_returns"] == 1
    assert state["revisions"] == 0
    assert state["stop_reason"] == "approved"
    assert [r["accept"] for r in state["reviews"]] == [False, True]
    assert_consumed(models)


def test_manager_rejecting_again_ends_at_the_return_limit():
    graph, models = team(
        [PLAN, verdict(False, "More detail."), verdict(False, "Still thin.")],
        [draft(1), draft(2)],
        [critique(True), critique(True)],
    )
    order, state = run(graph)
    assert order.count("manager_review") == 2
    assert state["stop_reason"] == "manager_return_limit"
    assert state["final_text"] == draft(2)
    assert_consumed(models)


def test_each_role_calls_its_own_model():
    graph, models = team(
        [PLAN, verdict(True)], [draft(1), draft(2)], [critique(False), critique(True)]
    )
    _, state = run(graph)
    assert len(models["manager"].calls) == 2
    assert len(models["writer"].calls) == 2
    assert len(models["critic"].calls) == 2
    manager_systems = system_prompts(models["manager"])
    assert PLAN_SYSTEM in manager_systems[0] and REVIEW_SYSTEM in manager_systems[1]
    assert all(WRITER_SYSTEM in s for s in system_prompts(models["writer"]))
    assert all(CRITIC_SYSTEM in s for s in system_prompts(models["critic"]))
    assert state["usage"]["manager"]["calls"] == 2
    assert state["usage"]["writer"]["calls"] == 2
    assert state["usage"]["critic"]["calls"] == 2
    assert state["usage"]["writer"]["output_tokens"] == len(draft(1).split()) + len(
        draft(2).split()
    )
    assert set(state["models"]) == {"manager", "writer", "critic"}


def test_malformed_plan_falls_back_to_a_safe_plan():
    graph, models = team(["nope", "nope", "nope", verdict(True)], [draft(1)], [critique(True)])
    _, state = run(graph)
    assert state["plan_fallback"] is True
    assert state["plan"]["outline"] == ["Introduction", "Main facts", "Conclusion"]
    assert state["final_text"] == draft(1)
    assert_consumed(models)


def test_context_overrides_the_revision_cap_per_run():
    graph, models = team(
        [PLAN, verdict(True)],
        [draft(1), draft(2)],
        [critique(False), critique(False)],
        max_revisions=3,
    )
    _, state = run(graph, context=WriterSettings(max_revisions=1))
    assert state["revisions"] == 1
    assert state["stop_reason"] == "max_revisions"
    assert_consumed(models)


def test_empty_topic_is_a_clear_input_error_and_no_model_is_called():
    graph, models = team([PLAN], [draft(1)], [critique(True)])
    with pytest.raises(InputError, match="topic is empty"):
        run(graph, topic="   ")
    assert all(not model.calls for model in models.values())


def test_unknown_role_is_rejected_before_the_run_with_the_closest_role():
    with pytest.raises(ModelConfigError) as raised:
        build_graph({"editor": scripted("x"), "critc": scripted("x")})
    assert str(raised.value) == (
        "No role named critc (did you mean critic?), editor in this team: its roles are "
        "manager, writer, critic."
    )


@pytest.mark.parametrize(
    ("models", "said"),
    [
        ("local", "models maps each role to its model, e.g. {'manager': 'local'}, not 'local'"),
        (["local"], "models maps each role to its model, e.g. {'manager': 'local'}, not a list"),
        ({"writer": 3}, "The model given to writer is 3, of type int: give 'provider:model'"),
    ],
)
def test_models_that_are_not_a_role_mapping_are_said_before_the_run(models, said):
    with pytest.raises(ModelConfigError) as raised:
        build_graph(models, check_models=False)
    assert str(raised.value).startswith(said)


def test_negative_cap_is_rejected():
    with pytest.raises(ValueError):
        build_graph({r: scripted("x") for r in ("manager", "writer", "critic")}, max_revisions=-1)


def test_model_failure_surfaces_as_model_call_error():
    graph, models = team([PLAN], [TimeoutError("read timed out")] * 3, [critique(True)])
    with pytest.raises(ModelCallError, match="writer model timed out"):
        run(graph)
    assert models["writer"].exhausted  # the timeout was tried again twice


def test_checkpoints_hold_every_draft_and_critique():
    graph, _ = team(
        [PLAN, verdict(True)],
        [draft(1), draft(2)],
        [critique(False), critique(True)],
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "t1"}}
    graph.invoke({"topic": "bees"}, config)
    snapshot = graph.get_state(config)
    assert snapshot.values["drafts"] == [draft(1), draft(2)]
    assert [c["approved"] for c in snapshot.values["critiques"]] == [False, True]
    assert snapshot.next == ()
    history = list(graph.get_state_history(config))
    assert len(history) >= 6


def test_topology():
    graph, _ = team([], [], [])
    edges = {(e.source, e.target, e.conditional) for e in graph.get_graph().edges}
    assert edges == {
        ("__start__", "manager_plan", False),
        ("manager_plan", "writer", True),
        ("manager_plan", "__end__", True),
        ("writer", "critic", True),
        ("writer", "approve_draft", True),
        ("writer", "__end__", True),
        ("critic", "writer", True),
        ("critic", "manager_review", True),
        ("critic", "__end__", True),
        ("manager_review", "writer", True),
        ("manager_review", "approve_draft", True),
        ("manager_review", "__end__", True),
        ("approve_draft", "writer", True),
        ("approve_draft", "__end__", True),
    }


@pytest.mark.parametrize(
    ("contradiction", "said"),
    [
        (critique(True, 4, "fine"), "approved with a score of 4, under the pass mark of 7"),
        (critique(False, 10, "redo"), "sent back with a score of 10"),
    ],
)
def test_a_verdict_whose_fields_disagree_is_reasked(contradiction, said):
    graph, models = team(
        [PLAN, verdict(True)], [draft(1)], [contradiction, critique(True, 8)], max_revisions=0
    )
    _, state = run(graph)
    record = state["critiques"][0]
    assert (record["approved"], record["score"], record["attempts"]) == (True, 8, 2)
    assert said in models["critic"].prompts_text()[1]
    assert_consumed(models)


def test_a_verdict_that_keeps_contradicting_itself_falls_back():
    graph, models = team(
        [PLAN, verdict(True)], [draft(1)], [critique(True, 3)] * 3, max_revisions=0
    )
    _, state = run(graph)
    assert state["critiques"][0]["fallback"] is True
    assert state["critiques"][0]["approved"] is False
    assert state["stop_reason"] == "max_revisions"
