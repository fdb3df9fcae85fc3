"""A team registered at run time gets everything the built-in teams get, with no change
outside it: its live view, its request in ``threads``, its stop in words, ``--json``,
``resume`` of its thread and its history."""

import io
import json
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from langchain_core.messages import HumanMessage
from langgraph.graph import END, START, StateGraph
from rich.console import Console

from agents.llm.calls import reply_text
from graphs import registry
from graphs.cli import main
from graphs.cli.driver import Display, drive
from graphs.common.live import Narrator, narrated
from graphs.common.settings import RunSettings, model_setting
from graphs.common.spec import TeamResult, TeamSpec
from graphs.common.state import RunFields
from graphs.common.stops import ResultKey, stop_at_limits
from graphs.common.wiring import bound, make_crew
from graphs.threads import build_job, hold_thread
from tests.fakes import scripted


@dataclass(kw_only=True)
class EchoSettings(RunSettings):
    """Settings of the echo team."""

    shouter_model: str = model_setting("shouter")


class EchoState(RunFields, total=False):
    note: str
    loud: str
    stop_reason: Literal["shouted", "max_calls", "max_tokens_total"] | None


def shout(state, runtime, *, crew):
    shift = crew.start(runtime)
    loud = reply_text(shift.caller("shouter").invoke([HumanMessage(state["note"])]))
    return {"loud": loud, "stop_reason": None, "budget_stop": None, **shift.opening()}


SIGNING = {"fail": False}


def sign(state):
    if SIGNING["fail"]:
        SIGNING["fail"] = False
        raise RuntimeError("the pen ran dry")
    return {"loud": f"{state['loud']} (signed)", "stop_reason": "shouted"}


RESULT = ResultKey("loud", lambda state: str(state.get("loud") or ""))


def build_echo(
    models=None, *, tools=None, checkpointer=None, store=None, check_models=True, **settings
):
    crew, schema = make_crew(
        "echo", ("shouter",), EchoSettings, models, tools, settings, check_models
    )
    builder = StateGraph(EchoState, context_schema=schema)
    builder.add_node("shout", stop_at_limits(RESULT, bound(shout, crew)))
    builder.add_node("sign", sign)
    builder.add_edge(START, "shout")
    builder.add_edge("shout", "sign")
    builder.add_edge("sign", END)
    return builder.compile(checkpointer=checkpointer, store=store, name="echo")


class EchoNarrator(Narrator):
    def activity(self, node: str, state: Any) -> str | None:
        return "The shouter is shouting" if node == "shout" else None

    def done(self, node: str, update: Any) -> str | None:
        return f"Shouted: {update['loud']}" if node == "shout" else None


def echo_spec(model) -> TeamSpec:
    return TeamSpec(
        name="echo",
        description="Shouts a note back, signed.",
        roles=("shouter",),
        build_graph=lambda _models, **kw: build_echo({"shouter": model}, **kw),
        settings=EchoSettings,
        make_input=lambda request, material: {"note": request},
        read_result=lambda state: TeamResult(
            text=str(state.get("loud") or ""), citations=[], stop_reason=state.get("stop_reason")
        ),
        report=lambda state: {"loud": state.get("loud"), "usage": state.get("usage", {})},
        request_key="note",
        result=RESULT,
        stop_words={"shouted": "the note was shouted back"},
        view=narrated(lambda settings: EchoNarrator()),
    )


@pytest.fixture
def echo(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    model = scripted("HELLO THERE", label="shouter")
    monkeypatch.setitem(registry.TEAMS, "echo", echo_spec(model))
    return model


def test_a_team_registered_at_run_time_gets_the_view_threads_words_json_and_resume(echo, capsys):
    spec = registry.team_spec("echo")
    seen = io.StringIO()
    SIGNING["fail"] = True
    with hold_thread("E1"), pytest.raises(RuntimeError, match="the pen ran dry"):
        job = build_job(spec, {}, {}, "E1")
        drive(job, spec.make_input("hello there", ""), Console(file=seen, width=300), Display())
    assert "Shouted: HELLO THERE" in seen.getvalue()
    capsys.readouterr()

    assert main(["threads", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["team"], row["request"], row["status"]) == ("echo", "hello there", "failed")
    assert "the pen ran dry" in row["error"]

    assert main(["resume", "--thread", "E1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["loud"] == "HELLO THERE (signed)" and report["thread"] == "E1"
    assert report["usage"]["shouter"]["calls"] == 1 == len(echo.calls)

    assert main(["resume", "--thread", "E1"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "HELLO THERE (signed)"
    assert "stopped: shouted (the note was shouted back)" in err

    assert main(["threads", "E1", "--json"]) == 0
    assert [r["node"] for r in json.loads(capsys.readouterr().out)] == ["shout", "sign"]


def test_a_thread_of_a_team_no_longer_registered_is_refused_clearly(echo, monkeypatch, capsys):
    spec = registry.team_spec("echo")
    with hold_thread("E2"):
        drive(
            build_job(spec, {}, {}, "E2"),
            spec.make_input("hi", ""),
            Console(file=io.StringIO()),
            Display(),
        )
    monkeypatch.delitem(registry.TEAMS, "echo")
    capsys.readouterr()
    for argv in (["resume", "--thread", "E2"], ["threads", "E2"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "run by the team 'echo', which is not registered here" in err, argv
        assert "Traceback" not in err
    assert main(["threads", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "unknown"
