"""The tool runner takes any tool: async-only, retrievers, odd artifacts, slow or hanging ones."""

import asyncio
import threading
import time

import pytest
from langchain_core.documents import Document
from langchain_core.messages import AIMessage
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import StructuredTool, create_retriever_tool, tool
from langgraph.checkpoint.memory import InMemorySaver

from graphs.react import build_graph
from tests.fakes import scripted
from tests.unit_tests.test_react_graph import NativeToolModel, act
from tools import tool_runner
from tools.tool_addressing import mark, mark_retrieval
from tools.tool_runner import run_tool_calls


def call(name, n=0, **args):
    return {"name": name, "args": args or {"query": f"q{n}"}, "id": f"c{n}"}


async def _async_lookup(query: str) -> str:
    await asyncio.sleep(0.01)
    return f"async answer for {query}"


async_lookup = StructuredTool.from_function(
    coroutine=_async_lookup, name="async_lookup", description="Look things up, asynchronously."
)


class Shelf(BaseRetriever):
    """Two documents, whatever the query."""

    def _get_relevant_documents(self, query, *, run_manager=None):
        return [
            Document(
                "Bees pollinate a third of crops.",
                metadata={"source": "/notes/bees.md", "title": "bees.md"},
            ),
            Document("Honey never spoils.", metadata={"source": "https://ex.org/honey", "page": 2}),
        ]


shelf = create_retriever_tool(
    Shelf(), "shelf", "Search the shelf of notes.", response_format="content_and_artifact"
)


def test_an_async_only_tool_runs_from_sync_code():
    messages, _ = run_tool_calls([call("async_lookup")], [async_lookup], [])
    assert messages[0].status == "success"
    assert messages[0].content == "async answer for q0"


def test_an_async_only_tool_runs_where_an_event_loop_is_already_running():
    async def notebook_cell():
        assert asyncio.get_running_loop().is_running()
        return run_tool_calls([call("async_lookup")], [async_lookup], [])

    messages, _ = asyncio.run(notebook_cell())
    assert messages[0].content == "async answer for q0"


def test_an_async_only_tool_in_a_react_run_sync_and_async():
    for invoke in ("sync", "async"):
        model = scripted(act("async_lookup", "bees"), act("final_answer", "-"), "Bees help.")
        graph = build_graph({"agent": model}, tools=[async_lookup], first_step="model")
        if invoke == "sync":
            state = graph.invoke({"question": "Why bees?"})
        else:
            state = asyncio.run(graph.ainvoke({"question": "Why bees?"}))
        observation = state["messages"][-1]
        assert observation.content == "async answer for bees", invoke
        assert "async answer for bees" in model.prompts_text()[-1]


def test_a_retriever_tool_with_documents_is_cited_and_checkpointed():
    model = scripted(act("shelf", "bees"), act("final_answer", "-"), "Bees pollinate crops [1].")
    graph = build_graph(
        {"agent": model}, tools=[shelf], first_step="model", checkpointer=InMemorySaver()
    )
    config = {"configurable": {"thread_id": "t"}}
    state = graph.invoke({"question": "Why bees?"}, config)
    assert state["stop_reason"] == "answered"
    assert [s["kind"] for s in state["sources"]] == ["document", "document"]
    assert state["sources"][0]["path"] == "/notes/bees.md"
    assert state["sources"][1]["url"] == "https://ex.org/honey"
    assert state["sources"][1]["location"] == "page 2"
    assert state["citations"][0]["title"] == "bees.md"
    assert "[1] bees.md" in model.prompts_text()[-1]
    assert graph.get_state(config).values["sources"] == state["sources"]


@tool(response_format="content_and_artifact")
def odd(query: str) -> tuple[str, object]:
    """Returns an artifact that is no source."""
    return "", {"rows": [1, 2, 3], "note": object.__name__}


@tool(response_format="content_and_artifact")
def plain_artifact(query: str) -> tuple[str, list]:
    """Returns text and a list of plain values."""
    return "main text", ["extra", 42]


def test_artifacts_that_are_not_sources_are_kept_as_text_and_never_crash():
    messages, sources = run_tool_calls(
        [call("odd"), call("plain_artifact", 1)], [odd, plain_artifact], []
    )
    assert sources == []
    assert messages[0].status == "success" and '"rows": [1, 2, 3]' in messages[0].content
    assert messages[1].content == "main text" and messages[1].artifact == []


def test_only_marked_retrieval_tools_turn_their_text_into_a_source():
    @tool
    def facts(query: str) -> str:
        """Facts."""
        return f"fact about {query}"

    _, unmarked = run_tool_calls([call("facts")], [facts], [])
    messages, marked = run_tool_calls([call("facts")], [mark_retrieval(facts)], [])
    assert unmarked == []
    assert marked == [
        {"kind": "tool", "title": "facts: q0", "origin": "python", "snippet": "fact about q0"}
    ]
    assert messages[0].content == "[1] facts: q0:\nfact about q0"


def sleeper(name, seconds, log):
    def work(query: str) -> str:
        log.append((name, "start", time.monotonic()))
        time.sleep(seconds)
        return f"{name} done"

    return StructuredTool.from_function(work, name=name, description=f"Sleeps {seconds}s.")


def test_a_step_with_three_half_second_tools_takes_about_half_a_second():
    log = []
    tools = [sleeper(name, 0.5, log) for name in ("alpha", "beta", "gamma")]
    reply = AIMessage(content="", tool_calls=[call(t.name, n) for n, t in enumerate(tools)])
    model = NativeToolModel(script=[reply, "All three answered."])
    graph = build_graph({"agent": model}, tools=tools, tool_mode="native", first_step="model")
    started = time.monotonic()
    state = graph.invoke({"question": "Ask all three."})
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, (
        f"three 0.5 s tools in one step took {elapsed:.2f} s (one after another: 1.5 s)"
    )
    observations = [m for m in state["messages"] if m.type == "tool"]
    assert [m.content for m in observations] == ["alpha done", "beta done", "gamma done"]
    starts = [at for _, _, at in log]
    assert max(starts) - min(starts) < 0.2


def test_observations_come_back_in_call_order_whatever_finishes_first():
    log = []
    tools = [sleeper("slow", 0.3, log), sleeper("medium", 0.2, log), sleeper("fast", 0.05, log)]
    messages, _ = run_tool_calls([call(t.name, n) for n, t in enumerate(tools)], tools, [])
    assert [m.content for m in messages] == ["slow done", "medium done", "fast done"]
    assert [m.tool_call_id for m in messages] == ["c0", "c1", "c2"]


def test_at_most_max_parallel_calls_run_at_once(monkeypatch):
    monkeypatch.setattr(tool_runner, "MAX_PARALLEL_CALLS", 2)
    running, peak, lock = [0], [0], threading.Lock()

    def work(query: str) -> str:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return query

    counted = StructuredTool.from_function(work, name="counted", description="Counts.")
    messages, _ = run_tool_calls([call("counted", n) for n in range(5)], [counted], [])
    assert [m.content for m in messages] == [f"q{n}" for n in range(5)]
    assert peak[0] == 2


def test_a_hanging_tool_times_out_and_the_others_still_answer():
    release = threading.Event()

    def stuck(query: str) -> str:
        release.wait(30)
        return "too late"

    hanging = StructuredTool.from_function(stuck, name="stuck", description="Never answers.")
    started = time.monotonic()
    messages, _ = run_tool_calls(
        [call("stuck"), call("async_lookup", 1)], [hanging, async_lookup], [], timeout_s=0.3
    )
    release.set()
    assert time.monotonic() - started < 2
    assert messages[0].status == "error"
    assert "stuck gave no answer within 0.3s" in messages[0].content
    assert messages[1].content == "async answer for q1"


def test_a_hanging_async_tool_is_cancelled():
    cancelled = threading.Event()

    async def forever(query: str) -> str:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "never"

    hanging = StructuredTool.from_function(coroutine=forever, name="forever", description="Hangs.")
    messages, _ = run_tool_calls([call("forever")], [hanging], [], timeout_s=0.2)
    assert "forever gave no answer within 0.2s" in messages[0].content
    assert cancelled.wait(2)


def test_errors_and_unknown_tools_are_observations():
    @tool
    def broken(query: str) -> str:
        """Fails."""
        raise RuntimeError("backend down")

    messages, _ = run_tool_calls([call("broken"), call("nope", 1)], [broken], [])
    assert messages[0].content == "error: broken failed (RuntimeError: backend down)"
    assert messages[1].content.startswith("error: there is no tool named 'nope'")
    assert {m.status for m in messages} == {"error"}


def test_offline_a_network_tool_is_not_called(monkeypatch):
    called = []

    @tool
    def online(query: str) -> str:
        """Goes online."""
        called.append(query)
        return "from the web"

    mark(online, network=True)
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "1")
    messages, _ = run_tool_calls([call("online")], [online], [])
    assert called == []
    assert "online needs the network and TEAMGRAPH_OFFLINE=1 is set" in messages[0].content
    monkeypatch.setenv("TEAMGRAPH_OFFLINE", "0")
    messages, _ = run_tool_calls([call("online")], [online], [])
    assert called == ["q0"] and messages[0].content == "from the web"


@pytest.mark.parametrize("payload", [None, 3, "text", [None], {"structured_content": {"a": 1}}])
def test_any_artifact_shape_reads_without_error(payload):
    @tool(response_format="content_and_artifact")
    def shapes(query: str) -> tuple[str, object]:
        """Odd artifacts."""
        return "body", payload

    messages, _ = run_tool_calls([call("shapes")], [shapes], [])
    assert messages[0].status == "success" and messages[0].content == "body"
