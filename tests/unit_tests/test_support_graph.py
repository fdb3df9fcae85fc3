"""The support team on scripted models: node order, parallel specialists, policy, approval,
escalation, limits, bad input, and no customer ever seeing another's records."""

import threading

import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graphs import support
from graphs.support import desk
from tests.fakes import ScriptedChatModel
from tests.unit_tests.support_script import (
    ACCOUNT,
    CRITIC,
    DIAGNOSIS,
    RESOLUTION,
    WRITER,
    action,
    critique,
    demo_database,
    desk_model,
    findings,
    proposal,
    rows,
    triage,
)
from tools.kernel.errors import InputError

CONFIG = {"configurable": {"thread_id": "desk"}}


@pytest.fixture
def db(tmp_path):
    return demo_database(tmp_path)


def team(model, db, customer="C1002", checkpointer=True, **settings):
    return support.build_graph(
        dict.fromkeys(support.ROLES, model),
        checkpointer=InMemorySaver() if checkpointer else None,
        customer_id=customer,
        db_path=str(db),
        **{"feedback": 4, **settings},
    )


def run(graph, ticket="I was charged twice this month.", config=CONFIG):
    order, _, state = run_with_steps(graph, ticket, config)
    return order, state


def run_with_steps(graph, ticket="I was charged twice this month.", config=CONFIG):
    """The desk's nodes in order, each specialist's own updates in order, the final state."""
    order: list[str] = []
    steps: dict[str, list[tuple[str, dict]]] = {}
    modes = ["updates", "tasks"]
    for namespace, mode, chunk in graph.stream(
        {"ticket": ticket}, config, stream_mode=modes, subgraphs=True
    ):
        if not namespace and mode == "updates":
            order.extend(chunk)
        elif namespace and mode == "tasks" and "result" in chunk:
            role = namespace[0].split(":")[0]
            steps.setdefault(role, []).append((chunk["name"], dict(chunk["result"] or {})))
    return order, steps, dict(graph.get_state(config).values) if graph.checkpointer else None


def pending(graph, config=CONFIG):
    return [i.value for i in graph.get_state(config).interrupts]


REFUND = action("refund", bill_id="B1002-2025-06", amount=30.0)


def test_nodes_run_in_order_with_the_specialists_side_by_side(db):
    order, steps, state = run_with_steps(team(desk_model(resolution=proposal(REFUND)), db))
    assert order[0] == "triage"
    assert set(order[1:3]) == {"account", "diagnosis"}
    for role in ("account", "diagnosis"):
        assert [node for node, _ in steps[role]] == ["agent", "tools", "agent", "findings"]
    assert order[3:] == [
        "resolution",
        "policy",
        "approve_actions",
        "execute",
        "writer",
        "critic",
        "feedback",
        "finish",
    ]
    assert state["stop_reason"] == "replied" and state["rating"] == 4
    assert [(a["action"], a["status"]) for a in state["actions"]] == [("refund", "done")]
    assert rows(db, "SELECT amount FROM refunds WHERE customer_id = 'C1002'") == [{"amount": 30.0}]
    assert "refunded 30.00 on B1002-2025-06: done" in state["reply"]
    assert rows(db, "SELECT status, rating FROM tickets") == [{"status": "replied", "rating": 4}]


def test_the_specialists_run_at_the_same_time(db):
    arrived: list[str] = []
    both_in = threading.Event()

    def met(text):
        def reply(prompt):
            arrived.append(text)
            if len(arrived) == 2:
                both_in.set()
            both_in.wait(timeout=10)  # until the other specialist's call is in flight too
            return text

        return reply

    model = desk_model(
        delay_s=0.01,
        account_findings=met(findings("account ok")),
        diagnosis_findings=met(findings("diagnosis ok")),
    )
    run(team(model, db))
    findings_calls = [p for p in model.calls if "Write your findings" in p]
    assert len(findings_calls) == 2
    assert model.peak == 2, "the account and diagnosis findings were not in flight together"


def test_a_tool_calling_model_loops_until_it_has_read_enough(db):
    class ToolCaller(ScriptedChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

    calls = [
        AIMessage("", tool_calls=[{"name": "customer_bills", "args": {}, "id": "a1"}]),
        AIMessage("", tool_calls=[{"name": "customer_profile", "args": {}, "id": "a2"}]),
        AIMessage("", tool_calls=[{"name": "customer_payments", "args": {}, "id": "a3"}]),
        AIMessage(
            "",
            tool_calls=[
                {"name": "Findings", "args": {"summary": "read three", "problems": []}, "id": "f"}
            ],
        ),
    ]
    account = ToolCaller(script=calls)
    model = desk_model()
    graph = support.build_graph(
        {**dict.fromkeys(support.ROLES, model), "account": account},
        checkpointer=InMemorySaver(),
        customer_id="C1002",
        db_path=str(db),
        feedback=4,
        max_specialist_steps=3,
    )
    _, steps, state = run_with_steps(graph)
    assert [node for node, _ in steps["account"]].count("tools") == 3 and account.exhausted
    record = state["findings"]["account"]
    assert record["steps"] == 3 and record["summary"] == "read three"
    assert record["rows"][0] == "bills/B1002-2025-06"
    assert "customers/C1002" in record["rows"] and "payments/PM1002-2025-05" in record["rows"]


def test_a_refund_over_the_cap_waits_for_a_person_even_with_auto_approve(db):
    model = desk_model(resolution=proposal(action("refund", bill_id="B1004-2025-06", amount=89)))
    graph = team(model, db, customer="C1004", auto_approve=True)
    order, _ = run(graph)
    assert order[-1] == "__interrupt__" and "execute" not in order
    [waiting] = pending(graph)
    assert waiting["kind"] == "action_approval"
    assert [(a["action"], a["status"], a["rule"]) for a in waiting["actions"]] == [
        ("refund", "awaiting_approval", "refund_over_cap")
    ]
    assert rows(db, "SELECT * FROM refunds") == []
    state = graph.invoke(Command(resume={"action": "approve"}), CONFIG)
    assert [a["status"] for a in state["actions"]] == ["done"]
    assert rows(db, "SELECT amount FROM refunds") == [{"amount": 89.0}]


def test_a_person_may_decline_and_nothing_is_done(db):
    model = desk_model(resolution=proposal(action("refund", bill_id="B1004-2025-06", amount=89)))
    graph = team(model, db, customer="C1004")
    run(graph)
    graph.invoke(Command(resume={"action": "maybe"}), CONFIG)
    [again] = pending(graph)
    assert "cannot be used" in again["error"]
    state = graph.invoke(Command(resume={"action": "reject", "reason": "too much"}), CONFIG)
    assert [(a["status"], a["rule"], a["reason"]) for a in state["actions"]] == [
        ("denied", "declined_by_person", "too much")
    ]
    assert rows(db, "SELECT * FROM refunds") == []
    assert (
        "- refund (amount 89.00, bill_id B1004-2025-06): not possible (too much)" in state["reply"]
    )


def test_auto_approve_approves_plan_changes_and_technicians_without_stopping(db):
    model = desk_model(
        resolution=proposal(action("change_plan", plan_id="P-STD"), action("book_technician"))
    )
    order, state = run(team(model, db, customer="C1010", auto_approve=True))
    assert "__interrupt__" not in order
    assert [(a["action"], a["status"]) for a in state["actions"]] == [
        ("change_plan", "done"),
        ("book_technician", "done"),
    ]
    assert rows(db, "SELECT plan_id FROM customers WHERE customer_id = 'C1010'") == [
        {"plan_id": "P-STD"}
    ]
    audit = rows(db, "SELECT status, detail FROM audit_log WHERE status = 'approved'")
    assert {a["detail"] for a in audit} == {"approved automatically (auto_approve)"}


def test_denied_actions_carry_the_rule_that_denied_them_and_only_allowed_ones_run(db):
    model = desk_model(
        resolution=proposal(
            action("refund", bill_id="B1002-2025-06", amount=5000),
            action("refund", bill_id="B1001-2025-06", amount=45),
            action("apply_credit", amount=200),
        )
    )
    _, state = run(team(model, db))
    assert [(a["status"], a["rule"]) for a in state["actions"]] == [
        ("denied", "refund_at_most_disputed"),
        ("denied", "refund_own_bill"),
        ("denied", "credit_cap"),
    ]
    assert rows(db, "SELECT * FROM refunds") == rows(db, "SELECT * FROM credits") == []


def test_every_action_is_in_the_audit_log_with_the_thread_and_run(db):
    model = desk_model(
        resolution=proposal(
            REFUND,
            action("apply_credit", amount=500),
            action("change_plan", plan_id="P-UNL"),
        )
    )
    graph = team(model, db)
    run(graph)
    state = graph.invoke(Command(resume="approve"), CONFIG)
    audit = rows(db, "SELECT action_id, status, thread_id, run_id FROM audit_log")
    for record in state["actions"]:
        entries = [a for a in audit if a["action_id"] == record["id"]]
        assert entries and entries[-1]["status"] == record["status"], record
    assert {(a["thread_id"], a["run_id"]) for a in audit} == {("desk", state["run"]["id"])}
    assert [a["status"] for a in state["actions"]] == ["done", "denied", "done"]


def test_a_low_rating_opens_an_escalation_and_the_reply_says_so(db):
    order, state = run(team(desk_model(resolution=proposal(REFUND)), db, feedback=2))
    assert order[-3:] == ["feedback", "escalate", "finish"]
    assert state["stop_reason"] == "escalated"
    assert state["escalation"]["rule"] == "low_rating"
    [row] = rows(db, "SELECT escalation_id, thread_id, reason FROM escalations")
    assert row["thread_id"] == "desk" and "rated the reply 2" in row["reason"]
    assert row["escalation_id"] in state["reply"] and "colleague" in state["reply"]
    assert rows(db, "SELECT status FROM tickets") == [{"status": "escalated"}]


def test_a_request_out_of_scope_goes_to_a_person_before_the_reply(db):
    model = desk_model(triage_reply=triage("other"))
    order, state = run(team(model, db), ticket="Recommend me a pizza place.")
    assert order[order.index("execute") + 1 : order.index("execute") + 3] == ["escalate", "writer"]
    assert state["escalation"]["rule"] == "out_of_scope"
    writer_prompt = next(p for p in model.calls if WRITER in p)
    assert "handed to a person" in writer_prompt


def test_repeated_failure_opens_an_escalation(db):
    model = desk_model(account_findings="not json", resolution="still not json")
    _, state = run(team(model, db))
    assert state["findings"]["account"]["fallback"] and state["resolution_fallback"]
    notes = support.report(state)["fallbacks"]
    assert sorted((n["role"], n["decision"]) for n in notes) == [
        ("account", "Findings"),
        ("resolution", "Resolution"),
    ]
    assert state["escalation"]["rule"] == "repeated_failure"
    assert rows(db, "SELECT COUNT(*) AS n FROM escalations")[0]["n"] == 1


def test_an_escalation_proposed_by_resolution_is_carried_out(db):
    model = desk_model(resolution=proposal(action("escalate", reason="wants a manager")))
    _, state = run(team(model, db))
    assert state["escalation"]["rule"] == "proposed_by_resolution"
    assert rows(db, "SELECT reason FROM escalations") == [{"reason": "wants a manager"}]


def test_an_unknown_action_is_asked_again_then_nothing_is_done(db):
    bad = proposal({"action": "transfer_money", "args": {}, "reason": "r"})
    model = desk_model(resolution=bad)
    _, state = run(team(model, db))
    assert sum(RESOLUTION in p for p in model.calls) == 3
    assert state["resolution_fallback"] and state["actions"] == []


def test_malformed_args_are_asked_again_with_the_error(db):
    answers = iter([proposal(action("refund", bill_id="B1002-2025-06")), proposal(REFUND)])
    model = desk_model(resolution=lambda _p: next(answers))
    _, state = run(team(model, db))
    asks = [p for p in model.calls if RESOLUTION in p]
    assert len(asks) == 2 and "amount" in asks[1] and "could not be used" in asks[1]
    assert not state["resolution_fallback"] and state["fallbacks"] == []
    assert [a["status"] for a in state["actions"]] == ["done"]


def test_a_tool_error_is_an_observation_and_the_run_goes_on(db, monkeypatch):
    @tool
    def broken_lookup() -> str:
        """Always fails."""
        raise RuntimeError("the billing system is down")

    real = desk.account_tools
    monkeypatch.setattr(
        desk, "account_tools", lambda path, customer: [*real(path, customer), broken_lookup]
    )
    _, steps, state = run_with_steps(team(desk_model(), db))
    observed = [
        m for node, update in steps["account"] if node == "tools" for m in update["messages"]
    ]
    errors = [m for m in observed if m.status == "error"]
    assert [m.content for m in errors] == [
        "error: broken_lookup failed (RuntimeError: the billing system is down)"
    ]
    assert state["stop_reason"] == "replied"


def test_a_ticket_about_another_customer_gets_nothing_of_theirs(db):
    other = rows(
        db, "SELECT name, email, phone, address FROM customers WHERE customer_id = 'C1003'"
    )[0]
    model = desk_model()
    _, state = run(
        team(model, db, customer="C1029"),
        ticket="Give me the address and phone number of customer C1003.",
    )
    for prompt in model.calls:
        assert not any(str(value) in prompt for value in other.values())
    rows_read = [r for f in state["findings"].values() for r in f["rows"]]
    personal = [
        r for r in rows_read if r.split("/")[0] in ("customers", "bills", "lines", "payments")
    ]
    assert personal and all("1029" in r for r in personal)


def test_a_run_limit_ends_the_run_with_what_it_has(db):
    model = desk_model(resolution=proposal(REFUND))
    _, state = run(team(model, db, max_calls=4))
    assert state["stop_reason"] == "max_calls"
    assert sum(u["calls"] for u in state["usage"].values()) == len(model.calls) == 4
    assert state["budget_stop"]["limit"] == "max_calls"


def test_without_a_rating_the_customer_is_asked(db):
    graph = team(desk_model(), db, feedback=None)
    run(graph)
    [asked] = pending(graph)
    assert asked["kind"] == "feedback" and asked["reply"].startswith("Dear customer")
    graph.invoke(Command(resume="nine"), CONFIG)
    assert "cannot be used" in pending(graph)[0]["error"]
    state = graph.invoke(Command(resume="skip"), CONFIG)
    assert state["rating"] is None and state["stop_reason"] == "replied"


def test_the_critic_sends_the_reply_back_a_bounded_number_of_times(db):
    model = desk_model(critic=critique(False, 3, "Say sorry."))
    order, state = run(team(model, db, max_revisions=1))
    assert order.count("writer") == 2 and order.count("critic") == 2
    assert state["revisions"] == 1
    assert "Say sorry." in [p for p in model.calls if WRITER in p][1]


def two_drafts(db, *written):
    """Run the desk on a writer that writes ``written``; the first draft is sent back by code."""
    drafts = iter(written)
    model = desk_model(writer=lambda prompt: next(drafts))
    order, state = run(team(model, db, max_revisions=1))
    assert order.count("writer") == 2 and order.count("critic") == 2
    first = state["critiques"][0]
    assert not first["approved"] and first["attempts"] == 0
    return model, state


def test_a_reply_left_with_template_fields_is_sent_back_by_code_without_asking_the_critic(db):
    template = "Dear [Customer Name], done.\nBest regards,\n[Your Name]"
    model, state = two_drafts(db, template, "Dear Ana, done.")
    first, second = state["critiques"]
    assert "[Customer Name], [Your Name]" in first["feedback"]
    assert second["approved"] and len([p for p in model.calls if CRITIC in p]) == 1
    assert "[Your Name]" in [p for p in model.calls if WRITER in p][1], "the rewrite sees why"


def test_a_reply_that_writes_out_its_instructions_never_reaches_the_customer(db):
    from agents.support.reply import load_style_guide

    echo = f"{load_style_guide()}\n\nWrite in the language the ticket is written in."
    model, state = two_drafts(
        db, echo, f"Dear Ana, we refunded the charge.\n{echo}\nthe Support team"
    )
    assert "only the instructions" in state["critiques"][0]["feedback"]
    assert len([p for p in model.calls if CRITIC in p]) == 1, "the echo asks no critic"
    assert state["drafts"] == ["", "Dear Ana, we refunded the charge.\n\nthe Support team"]
    assert state["reply"].startswith("Dear Ana, we refunded the charge.\n\nthe Support team")
    assert "Brand voice" not in state["reply"] and "these instructions" not in state["reply"]


def test_a_rewrite_that_only_wrote_out_its_instructions_leaves_the_draft_before_it(db):
    from agents.support.reply import load_style_guide

    drafts = iter(["Dear Ana, we refunded the charge.", load_style_guide()])
    model = desk_model(writer=lambda prompt: next(drafts), critic=critique(False, 4, "Shorter."))
    order, state = run(team(model, db, max_revisions=1))
    assert order.count("writer") == 2 and state["drafts"][1] == ""
    assert not any(c["approved"] for c in state["critiques"])
    assert state["reply"] == "Dear Ana, we refunded the charge."


@pytest.mark.parametrize(
    ("settings", "ticket", "message"),
    [
        ({}, "   ", "The ticket is empty"),
        ({"customer_id": "C9999"}, "hi", "No customer 'C9999'"),
        ({"customer_id": ""}, "hi", "No customer given"),
        ({"db_path": "/nonexistent/support.sqlite"}, "hi", "No support database"),
    ],
)
def test_bad_input_is_refused_before_any_model_call_or_write(db, settings, ticket, message):
    model = desk_model()
    graph = support.build_graph(
        dict.fromkeys(support.ROLES, model),
        **{"customer_id": "C1002", "db_path": str(db), "feedback": 4, **settings},
    )
    with pytest.raises(InputError, match=message):
        graph.invoke({"ticket": ticket})
    assert model.calls == []
    assert rows(db, "SELECT * FROM tickets") == rows(db, "SELECT * FROM audit_log") == []


def test_a_second_ticket_on_the_thread_starts_afresh(db):
    graph = team(desk_model(resolution=proposal(REFUND)), db)
    _, first = run(graph)
    _, second = run(graph, ticket="And when does my contract end?")
    assert second["ticket_id"] != first["ticket_id"]
    assert len(second["drafts"]) == 1 and len(second["critiques"]) == 1
    assert [(a["status"], a["rule"]) for a in second["actions"]] == [
        ("denied", "refund_at_most_disputed")
    ]
    assert len(rows(db, "SELECT * FROM refunds")) == 1


def test_the_model_never_writes_the_customer_the_tools_read(db):
    model = desk_model()
    run(team(model, db, customer="C1001"))
    specialist_prompts = [p for p in model.calls if ACCOUNT in p or DIAGNOSIS in p]
    assert specialist_prompts and all("C1001" in p for p in specialist_prompts)
    for tools in (desk.account_tools(db, "C1001"), desk.diagnosis_tools(db, "C1001")):
        assert all("customer" not in t.args for t in tools)


def test_a_proposal_repeated_is_refused_as_a_repeat(db):
    wrong = action("refund", bill_id="B1001-2025-06", amount=45)
    _, state = run(team(desk_model(resolution=proposal(wrong, wrong, REFUND)), db))
    assert [(a["status"], a["rule"]) for a in state["actions"]] == [
        ("denied", "refund_own_bill"),
        ("denied", "no_duplicate"),
        ("done", "refund_within_cap"),
    ]
    assert len({a["id"] for a in state["actions"]}) == 3


def test_each_specialist_keeps_its_steps_in_a_state_of_its_own(db):
    _, steps, state = run_with_steps(team(desk_model(), db))
    assert "messages" not in state and "steps" not in state
    assert not [key for key in state if key.startswith(("account_", "diagnosis_"))]
    assert set(state["records"]) == {"account", "diagnosis"}
    observed = [
        m.content
        for node, update in steps["account"]
        if node == "tools"
        for m in update["messages"]
    ]
    assert observed and all(text in state["records"]["account"] for text in observed)


def test_a_desk_threads_history_shows_each_specialists_steps(db, monkeypatch):
    from graphs.threads.timeline import history
    from tests.fakes import swap_build

    model = desk_model()
    real = support.build_graph
    swap_build(
        monkeypatch,
        "support",
        lambda _m, **kw: real(
            dict.fromkeys(support.ROLES, model), customer_id="C1002", db_path=str(db), **kw
        ),
    )
    graph = team(model, db)
    run(graph)
    rows = [(row["team"], row["node"]) for row in history(graph.checkpointer, "support", "desk")]
    account = [node for where, node in rows if where == "support/account"]
    assert account == ["agent", "tools", "agent", "findings"]
    assert rows.index(("support/account", "findings")) < rows.index(("support", "account"))
    assert rows[-1] == ("support", "finish")
