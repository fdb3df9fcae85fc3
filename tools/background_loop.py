"""One private event loop in a daemon thread, where every coroutine a tool needs runs.

Async-only tools (every MCP tool is one) are awaited here, so they work from sync code,
from LangGraph's worker threads, and from a notebook whose own loop is already running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class BackgroundLoop:
    """An event loop running forever in a daemon thread, started on first use."""

    def __init__(self) -> None:
        """Nothing starts until the first coroutine is submitted."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def loop(self) -> asyncio.AbstractEventLoop:
        """The running loop (started now if needed)."""
        if self._loop is None:
            with self._lock:
                if self._loop is None:
                    loop = asyncio.new_event_loop()
                    thread = threading.Thread(
                        target=loop.run_forever, name="teamgraph-async-tools", daemon=True
                    )
                    thread.start()
                    self._loop = loop
        return self._loop

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coroutine`` on the loop; cancelling the future cancels it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop())

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float | None = None) -> T:
        """Run ``coroutine`` to its end; after ``timeout_s`` cancel it and raise TimeoutError."""
        future = self.submit(coroutine)
        try:
            return future.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            if future.done():
                raise
            future.cancel()
            raise TimeoutError(f"no answer within {timeout_s:g}s") from None


BACKGROUND = BackgroundLoop()
"""The process's loop for tool coroutines."""
