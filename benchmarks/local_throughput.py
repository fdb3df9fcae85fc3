"""Tokens per second of the embedded model: through teamgraph vs raw xllamacpp.

Both paths use the same server and generate the same number of tokens from the same
prompt with the same sampling settings; rounds alternate so machine noise hits both
alike, and the first round of each is a discarded warm-up.
"""

from __future__ import annotations

import statistics
import time

from langchain_core.messages import HumanMessage

from agents.llm.local_server import LOCAL_SERVER, MODEL_NAME
from agents.llm.models import (
    LOCAL,
    LOCAL_FREQUENCY_PENALTY,
    LOCAL_PRESENCE_PENALTY,
    LOCAL_TEMPERATURE,
    load_chat_model,
)
from benchmarks.report import figure, heading

PROMPT = "Write a short essay about the history of the bicycle."
TOKENS = 200
ROUNDS = 8


def _raw_body() -> dict[str, object]:
    return {
        "model": MODEL_NAME,
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": TOKENS,
        "temperature": LOCAL_TEMPERATURE,
        "frequency_penalty": LOCAL_FREQUENCY_PENALTY,
        "presence_penalty": LOCAL_PRESENCE_PENALTY,
        "seed": 1,
        "ignore_eos": True,
    }


def run() -> None:
    """Measure and print both rates and their ratio."""
    heading("Embedded model throughput (same prompt, same settings, same run)")
    started = time.perf_counter()
    raw_server = LOCAL_SERVER.server()
    figure("embedded model start", time.perf_counter() - started, "s", "-", True)
    model = load_chat_model(LOCAL).bind(max_tokens=TOKENS, seed=1, extra_body={"ignore_eos": True})
    raw_rates: list[float] = []
    team_rates: list[float] = []
    for _ in range(ROUNDS + 1):
        started = time.perf_counter()
        reply = raw_server.handle_chat_completions(_raw_body())
        raw_rates.append(reply["usage"]["completion_tokens"] / (time.perf_counter() - started))
        started = time.perf_counter()
        message = model.invoke([HumanMessage(PROMPT)])
        tokens = (message.usage_metadata or {}).get("output_tokens", 0)
        team_rates.append(tokens / (time.perf_counter() - started))
    raw, team = statistics.median(raw_rates[1:]), statistics.median(team_rates[1:])
    figure("raw xllamacpp (in-process call)", raw, "tok/s", "-", True)
    figure("through teamgraph (ChatOpenAI over loopback)", team, "tok/s", "-", True)
    figure("ratio teamgraph / raw", team / raw, "x", ">= 0.9", team / raw >= 0.9)
