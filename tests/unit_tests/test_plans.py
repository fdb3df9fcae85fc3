from hypothesis import given, settings
from hypothesis import strategies as st

from agents.plans import PlanTask, find_cycle, plan_errors, ready_tasks, repair, same_question


def task(i: int, *deps: int, query: str = "") -> PlanTask:
    return PlanTask(id=i, query=query or f"q{i}", dependency=list(deps))


def test_a_valid_plan_has_no_errors():
    assert plan_errors([task(1), task(2), task(3, 1, 2)], max_tasks=6) == []


def test_each_kind_of_error_is_named():
    assert plan_errors([], 6) == ["the plan has no tasks"]
    assert plan_errors([task(1), task(1)], 6) == ["task ids must be unique; repeated: [1]"]
    assert plan_errors([task(1, 1)], 6) == [
        "task 1 depends on itself",
        "dependencies form a cycle: 1 -> 1",
    ]
    assert plan_errors([task(1, 9)], 6) == ["task 1 depends on unknown tasks [9]"]
    assert plan_errors([task(1, 3), task(2, 1), task(3, 2)], 6) == [
        "dependencies form a cycle: 1 -> 3 -> 2 -> 1"
    ]
    assert plan_errors([task(i) for i in range(1, 9)], 6) == [
        "the plan has 8 tasks; at most 6 are allowed"
    ]


def test_repair_fixes_everything_and_records_it():
    broken = [task(1, 3), task(2, 1, 2, 7), task(3, 2), task(3), *[task(i) for i in range(4, 10)]]
    fixed, changes = repair(broken, max_tasks=6, question="Q?")
    assert plan_errors(fixed, 6) == []
    assert [t["id"] for t in fixed] == [1, 2, 3, 4, 5, 6]
    assert "dropped task 3 (a repeated id)" in changes
    assert "cut the plan from 9 to 6 tasks" in changes
    assert "task 2: dropped dependencies on [2, 7]" in changes
    assert any(change.startswith("broke the cycle") for change in changes)


def test_a_question_asked_twice_is_an_error_and_repair_keeps_the_first():
    plan = [
        task(1, query="Who won the 2010 World Cup?"),
        task(2, query="who won  the 2010 world cup"),
        task(3, 2, query="Who was that team's captain?"),
        task(4, 1, 2, query="Compare both"),
    ]
    assert plan_errors(plan, 6) == ["task 2 asks the same question as task 1"]
    fixed, changes = repair(plan, 6, "Q?")
    assert plan_errors(fixed, 6) == []
    assert [(t["id"], t["dependency"]) for t in fixed] == [(1, []), (3, [1]), (4, [1])]
    assert changes == ["dropped task 2 (the same question as task 1)"]


def test_repair_of_an_empty_plan_asks_the_question_itself():
    fixed, changes = repair([], 6, "Who won?")
    assert fixed == [task(1, query="Who won?")]
    assert changes == ["the plan was empty: the question itself became the only task"]


def test_ready_tasks_wait_for_every_dependency():
    plan = [task(1), task(2), task(3, 1, 2)]
    assert [t["id"] for t in ready_tasks(plan, finished=[], started=[])] == [1, 2]
    assert ready_tasks(plan, finished=[1], started=[1, 2]) == []
    assert [t["id"] for t in ready_tasks(plan, finished=[1, 2], started=[1, 2])] == [3]


plans = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(min_value=1, max_value=n), max_size=3), min_size=n, max_size=n
    ).map(
        lambda deps: [
            task(i + 1, *sorted({d for d in ds if d != i + 1})) for i, ds in enumerate(deps)
        ]
    )
)


@given(plans, st.integers(min_value=1, max_value=5))
@settings(max_examples=200, deadline=None)
def test_any_repaired_plan_schedules_every_task_once_after_its_dependencies(plan, width):
    fixed, _ = repair(plan, max_tasks=8, question="Q")
    assert find_cycle(fixed) is None
    finished: list[int] = []
    rounds = 0
    while len(finished) < len(fixed):
        batch = ready_tasks(fixed, finished, finished)[:width]
        assert batch, "the schedule got stuck"
        for t in batch:
            assert all(d in finished for d in t["dependency"])
        finished.extend(t["id"] for t in batch)
        rounds += 1
    assert sorted(finished) == sorted(t["id"] for t in fixed)
    assert len(finished) == len(set(finished))


@given(plans, st.lists(st.sampled_from(["Who won?", "who won", "Where?", "When?"]), min_size=8))
@settings(max_examples=200, deadline=None)
def test_any_plan_with_repeated_questions_repairs_to_a_valid_one(plan, questions):
    worded = [
        PlanTask(id=t["id"], query=q, dependency=t["dependency"])
        for t, q in zip(plan, questions, strict=False)
    ]
    fixed, changes = repair(worded, max_tasks=8, question="Q")
    assert plan_errors(fixed, 8) == []
    assert len({same_question(t["query"]) for t in fixed}) == len(fixed)
    assert len(fixed) + sum("the same question" in c for c in changes) == len(worded)
