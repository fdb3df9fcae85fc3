"""The ReAct loop's nodes: the agent thinks, the tools act, the answer is written and cited."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import RemoveMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.llm.calls import reply_text
from agents.llm.structured import FallbackNote
from agents.react_agent import native_step, search_first_step, structured_step, write_answer
from graphs.common.crew import Crew, Shift
from graphs.common.react_step import tool_round, wants_tools, within_steps
from graphs.react.settings import ReactSettings
from graphs.react.state import ReactState, StopReason
from tools.citations import cite_as_observed
from tools.kernel.errors import InputError

ReactCrew = Crew[ReactSettings]


def _structured(shift: Shift[ReactSettings]) -> bool:
    mode = shift.settings.tool_mode
    return shift.guided("agent") if mode == "auto" else mode == "structured"


def _opening(state: ReactState, shift: Shift[ReactSettings], question: str) -> dict[str, Any]:
    """A new run's fields, clearing a finished earlier run of the thread."""
    update: dict[str, Any] = {"question": question, "stop_reason": None, "budget_stop": None}
    if state.get("messages"):
        update.update(
            messages=[RemoveMessage(id=REMOVE_ALL_MESSAGES)],
            steps=0,
            sources=Overwrite([]),
            answer="",
            citations=[],
        )
    return update


def agent(state: ReactState, runtime: Runtime[ReactSettings], *, crew: ReactCrew) -> dict[str, Any]:
    """The agent's next step: a tool call, or its answer (opens the run on its first step)."""
    question = (state.get("question") or "").strip()
    if not question:
        raise InputError("The question is empty: ask something.")
    opening = not state.get("run") or bool(state.get("stop_reason"))
    shift = crew.start(runtime) if opening else crew.shift(state, runtime)
    update = _opening(state, shift, question) if opening else {}
    history = [] if opening else list(state.get("messages") or [])
    steps = 0 if opening else state.get("steps", 0)
    settings = shift.settings
    structured = _structured(shift)
    small = structured or shift.embedded("agent")
    search_first = settings.first_step == "search" or (settings.first_step == "auto" and small)
    first = search_first_step(question, crew.tools()) if search_first and not history else None
    require_tool = steps < min(settings.min_tool_steps, settings.max_steps)
    notes: list[FallbackNote] = []
    if first is not None:
        message = first
    elif structured:
        message, notes = structured_step(
            shift.caller("agent"), question, history, crew.tools(), steps + 1, not require_tool
        )
    else:
        message = native_step(shift.caller("agent"), question, history, crew.tools(), require_tool)
    if message.tool_calls:
        update["messages"] = [*update.get("messages", []), message]
    elif structured:
        update["stop_reason"] = "fallback" if notes else "answered"
    else:
        update.update(answer=reply_text(message), stop_reason="answered")
    if opening:
        return {**update, **shift.opening(notes)}
    return {**update, "fallbacks": notes, **shift.spent()}


def route_after_agent(state: ReactState) -> Literal["tools", "answer", "finalize"]:
    """Tools for a new call; the answer step when ready or repeating; done if answered."""
    if state.get("answer"):
        return "finalize"
    if state.get("stop_reason") or not wants_tools(state.get("messages") or []):
        return "answer"
    return "tools"


def tools(state: ReactState, runtime: Runtime[ReactSettings], *, crew: ReactCrew) -> dict[str, Any]:
    """Run the agent's tool calls; errors become observations, sources get numbers."""
    settings = crew.settings(runtime)
    return tool_round(state, crew.tools(), settings.max_observation_chars, settings.tool_timeout_s)


def route_after_tools(
    state: ReactState, runtime: Runtime[ReactSettings], *, crew: ReactCrew
) -> Literal["agent", "answer"]:
    """Back to the agent until the step cap."""
    return "agent" if within_steps(state, crew.settings(runtime).max_steps) else "answer"


def answer(
    state: ReactState, runtime: Runtime[ReactSettings], *, crew: ReactCrew
) -> dict[str, Any]:
    """Write the answer from the observations (structured mode, the cap, or a repeat)."""
    shift = crew.shift(state, runtime)
    message = write_answer(shift.caller("agent"), state["question"], state.get("messages") or [])
    reason: StopReason = state.get("stop_reason") or (
        "max_steps" if state.get("steps", 0) >= shift.settings.max_steps else "repeated_action"
    )
    return {"answer": reply_text(message), "stop_reason": reason, **shift.spent()}


def finalize(state: ReactState) -> dict[str, Any]:
    """Cite the sources by the numbers their observations gave them (one numbering)."""
    cited = cite_as_observed(state.get("answer", ""), state.get("sources") or [])
    return {
        "answer": cited.text,
        "sources": Overwrite(cited.sources),
        "citations": cited.citations,
        "citations_dropped": cited.dropped,
        "citations_moved": cited.moved,
    }
