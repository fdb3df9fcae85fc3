"""Memory of the embedded model over many distinct prompts: our prompt cache vs llama.cpp's.

Each configuration runs in a child process of its own: start the server, send the same
sequence of distinct long prompts, and report how much the resident memory grew and how
long the prompts took. llama.cpp keeps the state of earlier prompts in host memory up to
its ``cache_ram_mib`` (8 GiB by default); ours bounds it. The prompts are long enough to
fill several GiB, so this suite takes about half an hour on 2 cores. It runs on the 135M
model: the cache bound is the same for every model, and the small one fills it fastest.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.report import figure, heading

PROMPTS = 40
WORDS = 1200
CHILD = """
import json, sys, time
from agents.llm.embedded import SMOLLM2, model_path
from agents.llm.local_server import LocalServerSettings, create_server

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

cache, prompts, words = (int(a) for a in sys.argv[1:4])
settings = LocalServerSettings(model_path=model_path(SMOLLM2), prompt_cache_mib=cache)
server = create_server(settings)
before = rss_mib()
started = time.perf_counter()
for i in range(prompts):
    text = f"Case {i}: " + " ".join(f"word{(i * 7919 + j) % 5003}" for j in range(words))
    request = {"messages": [{"role": "user", "content": text}], "max_tokens": 1}
    server.handle_chat_completions(request)
print(json.dumps({"growth": rss_mib() - before, "seconds": time.perf_counter() - started}))
"""


def _measure(cache_mib: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(cache_mib), str(PROMPTS), str(WORDS)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run() -> None:
    """Print the growth of resident memory and the time, with both caches, and their ratios."""
    import xllamacpp

    from agents.llm.local_server import PROMPT_CACHE_MIB

    default_mib = int(xllamacpp.CommonParams().cache_ram_mib)
    heading(f"Embedded model memory over {PROMPTS} distinct prompts of ~{WORDS * 3} tokens")
    ours, theirs = _measure(PROMPT_CACHE_MIB), _measure(default_mib)
    figure(
        f"RSS growth, llama.cpp default cache ({default_mib} MiB)",
        theirs["growth"],
        "MiB",
        "-",
        True,
    )
    figure(
        f"RSS growth, teamgraph cache ({PROMPT_CACHE_MIB} MiB)",
        ours["growth"],
        "MiB",
        f"<= {PROMPT_CACHE_MIB * 1.5:.0f}",
        ours["growth"] <= PROMPT_CACHE_MIB * 1.5,
    )
    figure(
        "time ratio teamgraph / default",
        ours["seconds"] / theirs["seconds"],
        "x",
        "<= 1.1",
        ours["seconds"] / theirs["seconds"] <= 1.1,
    )
