"""The research team's tasks start when their own dependencies are done, and are saved one by one."""

import json
import threading
import time
from collections import Counter

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore
from rich.console import Console

from graphs.research import build_graph
from graphs.research.board import RoundClosed, TaskBoard
from graphs.research.narration import ResearchView
from tests.fakes import RoutedChatModel
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
from tests.unit_tests.test_research_graph import search

ROLES = ("decider", "planner", "executor", "finalizer")
WAIT_S = 10.0
"""Longest a scripted task waits for another to start (only a barrier would make it wait)."""
CHAINS = plan(
    (1, "alpha", []),
    (2, "beta", []),
    (3, "gamma", [1]),
    (4, "delta", [2]),
    (5, "omega", [3, 4]),
)


class Crash(BaseException):
    """A crash no handler catches, as a killed process would stop."""


class Script:
    """alpha answers only once delta has started; omega crashes while ``crash`` is set."""

    def __init__(self, crash: bool = False) -> None:
        self.delta_started = threading.Event()
        self.alpha_saw_delta: list[bool] = []
        self.crash = crash

    def choose(self, prompt: str) -> str:
        if subtask(prompt) == "delta":
            self.delta_started.set()
        return json.dumps({"reason": "r", "tool": "search"})

    def answer(self, prompt: str) -> str:
        name = subtask(prompt)
        if name == "alpha":
            self.alpha_saw_delta.append(self.delta_started.wait(WAIT_S))
        if name == "omega" and self.crash:
            raise Crash("the process died")
        return echo_answer(prompt)

    def rules(self):
        return [
            (DECIDER, decision("B")),
            (PLANNER, CHAINS),
            (CHOOSER, self.choose),
            (QUERIES, lambda p: json.dumps({"queries": [subtask(p)]})),
            (ANSWER, self.answer),
            (REFLECT, sufficient(True)),
            (FINAL, "Final [1]."),
        ]


def team(script, **kwargs):
    model = RoutedChatModel(rules=script.rules())
    graph = build_graph(dict.fromkeys(ROLES, model), tools=[search], tool_policy="model", **kwargs)
    return graph, model


def executor_calls(model):
    return Counter(subtask(p) for p in model.calls if "Sub-task: " in p)


def test_a_task_starts_as_soon_as_its_own_dependencies_are_done():
    script = Script()
    graph, _ = team(script)
    state = graph.invoke({"question": "Two chains?"})
    assert script.alpha_saw_delta == [True], "delta waited for alpha, a task it does not need"
    assert {r["status"] for r in state["tasks"].values()} == {"done"}
    assert "ANSWER<gamma>" in state["tasks"]["3"]["result"]


def test_a_crashed_round_resumes_running_only_unfinished_tasks_each_with_its_own_result():
    script = Script(crash=True)
    graph, model = team(script, checkpointer=InMemorySaver(), store=InMemoryStore())
    config = {"configurable": {"thread_id": "crash"}}
    with pytest.raises(Crash):
        graph.invoke({"question": "Two chains?"}, config)
    assert script.alpha_saw_delta == [True]
    assert executor_calls(model) == dict.fromkeys(["alpha", "beta", "gamma", "delta", "omega"], 3)
    script.crash = False
    state = graph.invoke(None, config)
    calls = executor_calls(model)
    assert calls == {"alpha": 3, "beta": 3, "gamma": 3, "delta": 3, "omega": 6}
    records = state["tasks"]
    for key, name in (("1", "alpha"), ("2", "beta"), ("3", "gamma"), ("4", "delta")):
        assert records[key]["result"] == f"ANSWER<{name}>"
    assert records["5"]["status"] == "done"
    assert state["usage"]["executor"]["calls"] == sum(calls.values())


def test_closing_the_board_releases_every_task_still_waiting():
    board = TaskBoard({"1": {"id": 1, "status": "waiting"}}, slots=1)
    outcome = []

    def wait_for_one():
        try:
            board.wait_for([1])
        except RoundClosed:
            outcome.append("gave up")

    waiter = threading.Thread(target=wait_for_one)
    waiter.start()
    board.close()
    waiter.join(WAIT_S)
    assert outcome == ["gave up"]
    with pytest.raises(RoundClosed), board.slot(1):
        pass


def test_the_live_view_shows_a_task_running_then_done_once():
    console = Console(record=True, width=120, force_terminal=False)
    view = ResearchView(console)
    view.on_done((), "plan", {"plan": [{"id": 1, "query": "alpha", "dependency": []}]})
    view.on_event({"kind": "task", "task": 1, "status": "running"})
    assert view.statuses == {1: "running"}
    done = {"1": {"id": 1, "status": "done", "result": "ANSWER<alpha>"}}
    view.on_done((), "execute", {"tasks": done})
    view.on_done((), "run_tasks", {"tasks": done})
    lines = [line for line in console.export_text().splitlines() if "task 1" in line]
    assert [line.split("] ", 1)[1] for line in lines] == [
        "task 1 running",
        "task 1 done: ANSWER<alpha>",
    ]


def test_a_resumed_run_shows_its_saved_plan_with_a_cut_off_task_waiting_again():
    console = Console(record=True, width=120, force_terminal=True)
    view = ResearchView(console)
    view.on_resume(
        {
            "plan": [
                {"id": 1, "query": "alpha", "dependency": []},
                {"id": 2, "query": "beta", "dependency": [1]},
            ],
            "tasks": {
                "1": {"id": 1, "status": "done", "result": "A"},
                "2": {"id": 2, "status": "running"},
            },
        }
    )
    assert view.statuses == {1: "done", 2: "waiting"}
    view.finish()
    shown = console.export_text()
    assert "✓ 1. alpha  [done]" in shown and "· 2. beta  [waiting]" in shown


def test_the_live_view_says_once_what_a_failed_search_said_and_marks_it_in_the_plan():
    from graphs.research.narration import plan_tree

    console = Console(record=True, width=160, force_terminal=False)
    view = ResearchView(console)
    view.on_done((), "plan", {"plan": [{"id": 1, "query": "alpha", "dependency": []}]})
    failed = "unavailable: web search failed (ConnectError: [Errno -3] no network)"
    done = {"1": {"id": 1, "status": "done", "result": "own words", "tool_errors": [failed]}}
    view.on_done((), "execute", {"tasks": done})
    view.on_done((), "run_tasks", {"tasks": done})
    lines = [line.split("] ", 1)[1] for line in console.export_text().splitlines() if "] " in line]
    assert lines[-2:] == ["task 1 done: own words", f"task 1: {failed}"]
    tree = Console(record=True, width=160)
    tree.print(plan_tree(view.plan, view.statuses, view.tool_errors))
    assert "[done]  unavailable: web search failed (ConnectError" in tree.export_text()


def test_one_slot_runs_the_ready_tasks_in_plan_order_whoever_asks_first():
    board = TaskBoard({}, slots=1, round_tasks={1: [], 2: [], 3: []})
    ran = []

    def run(task):
        with board.slot(task):
            ran.append(task)

    waiters = [threading.Thread(target=run, args=(task,)) for task in (3, 2, 1)]
    for waiter in waiters:
        waiter.start()
        time.sleep(0.05)
    for waiter in waiters:
        waiter.join(WAIT_S)
    assert ran == [1, 2, 3]


def test_a_task_whose_query_runs_to_many_lines_is_shown_on_one():
    from graphs.research.narration import QUERY_WIDTH, plan_tree

    handed = "Launch a kettle\nWhat is known so far:\n" + "earlier work " * 40
    console = Console(record=True, width=400, force_terminal=False)
    view = ResearchView(console)
    view.on_done((), "plan", {"plan": [{"id": 1, "query": handed, "dependency": []}]})
    tree = Console(record=True, width=400)
    tree.print(plan_tree(view.plan, view.statuses))
    for shown in (console.export_text(), tree.export_text()):
        [line] = [line for line in shown.splitlines() if "1. Launch a kettle" in line]
        assert "What is known so far: earlier work" in line and "…" in line
        assert len(line.split("1. ", 1)[1].split("…")[0]) < QUERY_WIDTH
