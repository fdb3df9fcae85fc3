"""The task board of one round of research tasks: who may start, and how many at once.

Every task of a round is handed to the board at once; each waits on the board until its
own dependencies have finished and a slot is free (``max_concurrency``), then runs. When
the round ends early (an error, Ctrl-C) the board is closed and every task still waiting
gives up, so no thread waits for ever.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from graphs.research.state import FINISHED, TaskRecord

WAKE_EVERY_S = 0.5
"""How often a waiting task looks again even if nobody told it (it never sleeps longer)."""


class RoundClosed(RuntimeError):
    """The round ended before this task could start; it did not run."""


class TaskBoard:
    """The records of a round's tasks as they finish, and the slots for running ones."""

    def __init__(
        self,
        records: Mapping[str, TaskRecord],
        slots: int,
        round_tasks: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        """Start from ``records`` (those finished before count as finished).

        ``round_tasks`` maps each task of the round to its dependencies: a ready task waits
        for the ready ones planned before it to start first.
        """
        self._records: dict[str, TaskRecord] = dict(records)
        self._changed = threading.Condition()
        self._slots = slots
        self._running = 0
        self._unstarted: dict[int, Sequence[int]] = dict(round_tasks or {})
        self._closed = False

    def _finished(self, key: str) -> bool:
        return self._records.get(key, {}).get("status") in FINISHED

    def _turn_of(self, task: int) -> bool:
        """Whether no ready task planned before ``task`` is still to start."""
        return not any(
            other < task and all(self._finished(str(d)) for d in dependencies)
            for other, dependencies in self._unstarted.items()
        )

    def wait_for(self, dependencies: list[int]) -> None:
        """Block until every task in ``dependencies`` has finished (RoundClosed if closed)."""
        with self._changed:
            while not all(self._finished(str(d)) for d in dependencies):
                if self._closed:
                    raise RoundClosed("the round ended before the task's dependencies finished")
                self._changed.wait(WAKE_EVERY_S)

    def records(self) -> dict[str, TaskRecord]:
        """Every task's record as it stands now."""
        with self._changed:
            return dict(self._records)

    @contextmanager
    def slot(self, task: int) -> Iterator[None]:
        """Hold one of the round's running slots (RoundClosed if closed before one is free).

        Ready tasks take free slots in plan order (by id), so one slot runs them as planned.
        """
        with self._changed:
            while self._running >= self._slots or not self._turn_of(task):
                if self._closed:
                    raise RoundClosed("the round ended before a slot was free")
                self._changed.wait(WAKE_EVERY_S)
            if self._closed:
                raise RoundClosed("the round ended before the task started")
            self._running += 1
            self._unstarted.pop(task, None)
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def finish(self, key: str, record: TaskRecord) -> None:
        """Record a finished task and wake the tasks waiting for it."""
        with self._changed:
            self._records[key] = record
            self._unstarted.pop(int(key), None)  # a result kept from before a resume
            self._changed.notify_all()

    def close(self) -> None:
        """End the round: every task still waiting gives up."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
