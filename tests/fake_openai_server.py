"""A fake OpenAI-compatible chat server on loopback, with a fixed latency per call.

Replies are chosen from the request: a JSON-schema ``response_format`` gets a valid
object for that schema name (decider, plan, tool choice, queries, reflection, critic,
the support desk's triage, findings and resolution...); a request offering tools gets a
call of the first tool with the sub-task as input (until a tool result comes back);
plain requests get a short text. A sub-task that combines its dependencies' results
(``Combine ...``) is answered from internal knowledge; every other one searches. It
counts calls, prompt tokens (whitespace words) and the most requests in flight at once.
For tests and benchmarks only.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Plan = list[dict[str, Any]]

FOUR_AND_ONE: Plan = [
    {"id": 1, "query": "Which country hosted the 2002 World Cup?", "dependency": []},
    {"id": 2, "query": "Which country hosted the 2006 World Cup?", "dependency": []},
    {"id": 3, "query": "Which team won the 2002 World Cup?", "dependency": []},
    {"id": 4, "query": "Which team won the 2006 World Cup?", "dependency": []},
    {"id": 5, "query": "Combine hosts and winners into one table", "dependency": [1, 2, 3, 4]},
]
ANSWER_WORDS = 120
COMBINING = "Combine"
"""A sub-task starting with this works on its dependencies' results: no tool is chosen."""
INTERNAL = "internal_knowledge"


def _subtask(prompt: str) -> str:
    match = re.search(r"Sub-task: (.*)", prompt)
    return match.group(1).strip() if match else "the question"


def _structured(name: str, prompt: str, schema: dict[str, Any], plan: Plan) -> dict[str, Any]:
    if name == "TeamRoute":
        return {"reason": "Facts first, then the report.", "teams": ["research", "writer"]}
    if name == "AnswerType":
        return {"reason": "It needs several facts found separately.", "type": "B"}
    if name == "Plan":
        return {"tasks": plan}
    if name == "ToolChoice":
        tools = schema["properties"]["tool"].get("enum") or [
            schema["properties"]["tool"].get("const")
        ]
        if _subtask(prompt).startswith(COMBINING) and INTERNAL in tools:
            return {"reason": "The context holds every fact needed.", "tool": INTERNAL}
        return {"reason": "Search finds facts.", "tool": tools[0]}
    if name == "SearchQueries":
        return {"queries": [_subtask(prompt)[:150]]}
    if name == "Reflection":
        return {"sufficient": True, "reason": "Every part is answered.", "new_tasks": []}
    if name == "Critique":
        return {"approved": True, "score": 8, "feedback": "Clear and complete."}
    if name == "PiecePlan":
        return {"audience": "general readers", "outline": ["Intro", "Body"], "key_points": ["one"]}
    if name == "ManagerVerdict":
        return {"accept": True, "instructions": ""}
    if name == "Triage":
        return {
            "category": "billing",
            "urgency": "normal",
            "sentiment": -1,
            "summary": "Billed twice.",
        }
    if name == "Findings":
        return {"summary": "The latest bill has the monthly fee twice.", "problems": []}
    if name == "Resolution":
        refund = {"bill_id": "B1001-2025-06", "amount": 45.0}
        return {"actions": [{"action": "refund", "args": refund, "reason": "duplicate fee"}]}
    raise ValueError(f"the fake server has no reply for schema {name!r}")


def _tool_calls(body: dict[str, Any], prompt: str) -> list[dict[str, Any]]:
    """A request offering tools gets one call of the first, with the sub-task as its input,
    unless it answers a tool's result or combines its dependencies' results."""
    tools = body.get("tools") or []
    messages = body.get("messages") or [{}]
    if not tools or messages[-1].get("role") == "tool" or _subtask(prompt).startswith(COMBINING):
        return []
    function = tools[0]["function"]
    properties = function.get("parameters", {}).get("properties", {})
    arguments = json.dumps({name: _subtask(prompt)[:150] for name in list(properties)[:1]})
    return [
        {
            "id": "call-1",
            "type": "function",
            "function": {"name": function["name"], "arguments": arguments},
        }
    ]


def _text(prompt: str) -> str:
    if "Answer the sub-task" in prompt or "Look it up with a tool" in prompt:
        filler = " ".join(["detail"] * (ANSWER_WORDS - 8))
        return f"The answer to '{_subtask(prompt)[:60]}' is found [1]. {filler}"
    if "final answer" in prompt:
        return (
            "Hosts and winners: Korea/Japan and Brazil in 2002 [1], Germany and Italy in 2006 [2]."
        )
    return "A short reply."


class FakeOpenAIServer:
    """Start with ``with FakeOpenAIServer(latency_s=0.2) as server: server.base_url``."""

    def __init__(
        self,
        latency_s: float = 0.2,
        plan: Plan | None = None,
        reply: Callable[[str], str] | None = None,
        structured: Callable[[str, str, dict[str, Any]], dict[str, Any]] | None = None,
        latency_for: Callable[[str], float | None] | None = None,
    ) -> None:
        """``plan`` is what the planner schema gets; ``reply`` overrides plain-text replies,
        ``structured`` (schema name, prompt, schema -> object) the replies to a JSON schema;
        ``latency_for`` gives a prompt its own latency (None: ``latency_s``)."""
        self.latency_s = latency_s
        self.latency_for = latency_for
        self.plan = plan or FOUR_AND_ONE
        self.reply = reply or _text
        self.structured = structured or (
            lambda name, prompt, schema: _structured(name, prompt, schema, self.plan)
        )
        self.calls = 0
        self.prompt_tokens = 0
        self.down_when: Callable[[str], bool] | None = None
        """While set, a request whose prompt it accepts gets 503 (the provider is down)."""
        self.peak_in_flight = 0
        self.requests: list[dict[str, Any]] = []
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The ``/v1`` URL to give an OpenAI client."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def schema_requests(self, name: str) -> int:
        """How many requests asked for the JSON schema named ``name``."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (r.get("response_format") or {}).get("json_schema", {}).get("name") == name
            )

    def reset_counts(self) -> None:
        """Zero the call, token and concurrency counters."""
        with self._lock:
            self.calls = self.prompt_tokens = self.peak_in_flight = 0
            self.requests.clear()

    def _answer(self, body: dict[str, Any]) -> dict[str, Any]:
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        if self.down_when is not None and self.down_when(prompt):
            with self._lock:
                self.calls += 1
                self.requests.append(body)
            raise ConnectionError("the provider is down")
        with self._lock:
            self.calls += 1
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            self.requests.append(body)
        try:
            own = self.latency_for(prompt) if self.latency_for else None
            time.sleep(self.latency_s if own is None else own)
            response_format = body.get("response_format") or {}
            calls = _tool_calls(body, prompt)
            if response_format.get("type") == "json_schema":
                spec = response_format["json_schema"]
                content = json.dumps(self.structured(spec["name"], prompt, spec["schema"]))
            else:
                content = "" if calls else self.reply(prompt)
        finally:
            with self._lock:
                self._in_flight -= 1
        prompt_tokens = len(prompt.split())
        with self._lock:
            self.prompt_tokens += prompt_tokens
        completion_tokens = len(content.split())
        return {
            "id": f"fake-{self.calls}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls" if calls else "stop",
                    "message": {
                        "role": "assistant",
                        "content": content,
                        **({"tool_calls": calls} if calls else {}),
                    },
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                try:
                    payload, status = server._answer(body), 200
                except ValueError as error:
                    payload, status = {"error": {"message": str(error)}}, 400
                except ConnectionError as error:
                    payload, status = {"error": {"message": str(error)}}, 503
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client is gone (stopped or killed by the test)

            def log_message(self, *args: Any) -> None:
                return

        return Handler
