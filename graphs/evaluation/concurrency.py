"""Several questions (or trials) at once: results in their own order, whatever finishes first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

from agents.llm.embedded import is_local
from agents.llm.llama_server import PARALLEL_SLOTS
from tools.kernel.errors import InputError

Item = TypeVar("Item")
Result = TypeVar("Result")

PROVIDER_CONCURRENCY = 4
"""Questions at once on a provider's model (a provider serves many; its rate limits are
retried like any transient failure)."""


def default_concurrency(model: str) -> int:
    """Questions at once by default: what the model serves at once.

    An embedded model serves :data:`PARALLEL_SLOTS` requests at a time; a provider's
    model :data:`PROVIDER_CONCURRENCY`.
    """
    return PARALLEL_SLOTS if is_local(model) else PROVIDER_CONCURRENCY


def checked_concurrency(given: int | None, model: str) -> int:
    """``given`` if it is 1 or more, the model's default if None; InputError otherwise."""
    if given is None:
        return default_concurrency(model)
    if given < 1:
        raise InputError(f"--concurrency must be 1 or more (got {given}).")
    return given


def run_all(
    items: Sequence[Item],
    work: Callable[[Item], Result],
    concurrency: int,
    on_done: Callable[[Result], None] | None = None,
) -> list[Result]:
    """``work`` on every item, ``concurrency`` at a time; the results in the items' order.

    ``on_done`` hears each result as it finishes, in the calling thread.
    """
    if concurrency <= 1 or len(items) <= 1:
        results = []
        for item in items:
            results.append(work(item))
            if on_done:
                on_done(results[-1])
        return results
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="eval")
    try:
        futures = [pool.submit(work, item) for item in items]
        for future in as_completed(futures):
            if on_done:
                on_done(future.result())
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
