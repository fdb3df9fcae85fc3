"""Tokens per second of each embedded model: through teamgraph vs raw xllamacpp.

Both paths use the same server and generate the same number of tokens from the same
prompt with the same sampling settings; rounds alternate so machine noise hits both
alike, and the first round of each is a discarded warm-up.
"""

from __future__ import annotations

import statistics
import time

from langchain_core.messages import HumanMessage

from agents.llm.embedded import CATALOGUE, EmbeddedModel
from agents.llm.local_server import LOCAL_SERVER
from agents.llm.models import load_chat_model
from benchmarks.report import figure, heading

PROMPT = "Write a short essay about the history of the bicycle."
TOKENS = 200
ROUNDS = 4


def _raw_body(model: EmbeddedModel) -> dict[str, object]:
    sampling = model.sampling
    return {
        "model": model.name,
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": TOKENS,
        "temperature": sampling.temperature,
        "frequency_penalty": sampling.frequency_penalty,
        "presence_penalty": sampling.presence_penalty,
        "seed": 1,
        "ignore_eos": True,
    }


def rates(model: EmbeddedModel, rounds: int = ROUNDS) -> tuple[float, float, float]:
    """Start time, and median tokens/s raw and through teamgraph, for ``model``."""
    started = time.perf_counter()
    raw_server = LOCAL_SERVER.server(model)
    start_s = time.perf_counter() - started
    chat = load_chat_model(model.setting).bind(
        max_tokens=TOKENS, seed=1, extra_body={"ignore_eos": True}
    )
    raw_rates: list[float] = []
    team_rates: list[float] = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        reply = raw_server.handle_chat_completions(_raw_body(model))
        raw_rates.append(reply["usage"]["completion_tokens"] / (time.perf_counter() - started))
        started = time.perf_counter()
        message = chat.invoke([HumanMessage(PROMPT)])
        tokens = message.usage_metadata["output_tokens"] if message.usage_metadata else 0
        team_rates.append(tokens / (time.perf_counter() - started))
    return start_s, statistics.median(raw_rates[1:]), statistics.median(team_rates[1:])


def run() -> None:
    """Measure and print both rates and their ratio, for every embedded model."""
    for name, model in CATALOGUE.items():
        heading(f"Embedded model throughput, {name} (same prompt, same settings, same run)")
        start_s, raw, team = rates(model)
        figure("embedded model start", start_s, "s", "-", True)
        figure("raw xllamacpp (in-process call)", raw, "tok/s", "-", True)
        figure("through teamgraph (ChatOpenAI over loopback)", team, "tok/s", "-", True)
        figure("ratio teamgraph / raw", team / raw, "x", ">= 0.9", team / raw >= 0.9)
