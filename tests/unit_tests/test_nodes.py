"""Single nodes, called alone on a bench (their crew and a runtime), with scripted models."""

from langchain_core.messages import AIMessage

from graphs import react, research, support, writer
from graphs.react import nodes as react_nodes
from graphs.research import nodes as research_nodes
from graphs.support import reply as support_reply
from graphs.writer import nodes as writer_nodes
from tests.fakes import make_instant_search, scripted
from tests.unit_tests.crews import bench
from tests.unit_tests.support_script import demo_database
from tests.unit_tests.writer_script import critique, draft

PLANNED = {"audience": "curious adults", "outline": ["Intro"], "key_points": ["bees pollinate"]}


def test_the_critic_node_records_how_many_asks_its_verdict_took():
    critic = scripted("not json", critique(True, 8))
    desk = bench(writer.SPEC, {"critic": critic})
    state = desk.state(topic="bees", plan=PLANNED, drafts=[draft(1), draft(2)])
    update = desk.call(writer_nodes.critic, state)
    assert update["critiques"] == [
        {
            "draft": 1,
            "approved": True,
            "score": 8,
            "feedback": "Tighten the ending.",
            "attempts": 2,
            "fallback": False,
        }
    ]
    assert update["usage"]["critic"]["calls"] == 2 and update["fallbacks"] == []


def rewrite(**more):
    """The writer node alone, once the Critic has sent draft 1 back; returns update and prompt."""
    model = scripted(draft(2))
    desk = bench(writer.SPEC, {"writer": model})
    sent_back = [{"feedback": "Add numbers.", "approved": False}]
    state = desk.state(topic="bees", plan=PLANNED, drafts=[draft(1)], critiques=sent_back, **more)
    return desk.call(writer_nodes.writer, state), model.prompts_text()[0]


def test_the_writer_node_rewrites_on_the_critics_feedback_and_counts_a_revision():
    update, prompt = rewrite(revisions=0)
    assert update["drafts"] == [draft(2)] and update["revisions"] == 1
    assert draft(1) in prompt and "Add numbers." in prompt


def test_the_writer_node_applies_the_managers_notes_without_counting_a_revision():
    update, prompt = rewrite(revisions=2, manager_instructions="Shorter.")
    spent = {"usage": update["usage"], "models": update["models"]}
    assert update == {"manager_instructions": "", "drafts": [draft(2)], **spent}
    assert "Shorter." in prompt and "Add numbers." not in prompt


def test_the_route_after_a_critique_stops_at_the_revision_cap():
    desk = bench(writer.SPEC, {}, max_revisions=2)
    sent_back = [{"approved": False, "feedback": "more"}]
    route = writer_nodes.route_after_critique
    assert desk.call(route, {"critiques": sent_back, "revisions": 1}) == "writer"
    assert desk.call(route, {"critiques": sent_back, "revisions": 2}) == "manager_review"
    approved = [{"approved": True, "feedback": ""}]
    assert desk.call(route, {"critiques": approved, "revisions": 0}) == "manager_review"


def test_the_support_writer_shares_the_loop_and_writes_in_the_brand_voice(tmp_path):
    db = demo_database(tmp_path)
    model = scripted("Dear Ada, fixed.")
    desk = bench(support.SPEC, {"writer": model}, customer_id="C1001", db_path=str(db))
    state = desk.state(
        ticket="Slow internet",
        customer_id="C1001",
        db_path=str(db),
        drafts=["Dear Ada."],
        critiques=[{"feedback": "Say sorry.", "approved": False}],
        revisions=0,
        actions=[],
    )
    update = desk.call(support_reply.writer, state)
    assert update["drafts"] == ["Dear Ada, fixed."] and update["revisions"] == 1
    assert "Say sorry." in model.prompts_text()[0] and "style guide" in model.prompts_text()[0]


def test_the_react_tools_node_runs_the_calls_and_numbers_the_sources():
    search = make_instant_search()
    desk = bench(react.SPEC, {}, tools=[search])
    call = {"name": "search", "args": {"query": "bees"}, "id": "c1"}
    state = desk.state(messages=[AIMessage("", tool_calls=[call])], steps=2, sources=[])
    update = desk.call(react_nodes.tools, state)
    assert [m.content for m in update["messages"]][0].startswith("[1] ")
    assert [s["title"] for s in update["sources"]] == ["Result for bees"]
    assert update["steps"] == 3


def test_the_decide_node_opens_the_run_and_answers_at_once_when_told_to():
    desk = bench(research.SPEC, {}, answer_type="A")
    update = desk.call(research_nodes.decide, {"question": "Who was Marie Curie?"})
    assert update["plan"] == [{"id": 1, "query": "Who was Marie Curie?", "dependency": []}]
    assert update["direct"] and update["run"]["scope"] == "" and update["run"]["max_calls"] is None
    assert update["usage"].value == {} and update["stop_reason"] is None


def test_the_support_critic_keeps_the_same_critique_record_as_the_writer_team(tmp_path):
    db = demo_database(tmp_path)
    critic = scripted("?", critique(False, 4, "Say sorry."))
    desk = bench(support.SPEC, {"critic": critic}, customer_id="C1001", db_path=str(db))
    state = desk.state(
        ticket="Slow internet", customer_id="C1001", db_path=str(db), drafts=["Hi."], actions=[]
    )
    update = desk.call(support_reply.critic, state)
    assert update["critiques"] == [
        {
            "draft": 0,
            "approved": False,
            "score": 4,
            "feedback": "Say sorry.",
            "attempts": 2,
            "fallback": False,
        }
    ]
