"""A run's ledger: every model call is charged against the run's limits and recorded per role.

One :class:`Ledger` per run, shared by every node, parallel branch and team inside it.
:meth:`Ledger.reserve` is called before a call and refuses it (``BudgetExceeded``) at a
limit; :meth:`Ledger.settle` records what the call spent. A team inside a larger run gets
a :meth:`Ledger.child`: its calls count against its own limits and every enclosing one,
and show up in the enclosing run as ``team/role``. With a :class:`CallLog` every call is
also written down as it is made, so a run resumed in another process (even after
``kill -9``) starts from what was really spent.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from typing_extensions import TypedDict

from agents.llm.usage import RoleUsage, UsageByRole, add_call, empty_usage
from tools.kernel.errors import BudgetExceeded, TeamgraphError


@dataclass(frozen=True)
class Limits:
    """Most model calls and tokens (input + output) one run may use; None means no limit."""

    max_calls: int | None = None
    max_tokens_total: int | None = None

    def __post_init__(self) -> None:
        """Reject limits that cannot be met."""
        for name in ("max_calls", "max_tokens_total"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise TeamgraphError(
                    f"{name} must be 1 or more (got {value}); leave it unset for no limit."
                )


class CallRecord(TypedDict):
    """One model call (or, restored from a summary, several) as the ledger keeps it."""

    role: str
    """The role path, e.g. ``planner`` or ``research/planner`` inside a team of teams."""
    calls: int
    input_tokens: int
    output_tokens: int
    seconds: float
    cost_usd: float | None
    task: str
    """The task the call was made for, if any (research sub-tasks)."""


class CallLog(Protocol):
    """Where a run's calls are written down: when they start, and again when they return."""

    def write(self, run: str, key: str, record: CallRecord) -> None:
        """Keep ``record`` for ``run`` under ``key`` (replacing what ``key`` held)."""

    def load(self, run: str) -> list[CallRecord]:
        """Every record kept for ``run``."""


@dataclass
class Reservation:
    """A call allowed by :meth:`Ledger.reserve`, counted at once, settled when it returns."""

    key: str
    record: CallRecord


@dataclass
class _Book:
    """What the ledgers of one run share: the calls made, the lock, the log."""

    run: str
    log: CallLog | None
    records: list[CallRecord] = field(default_factory=list)
    pending: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Calls in flight: key -> (role path, tokens held for them until they return)."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class Ledger:
    """The account of one run (``scope`` ""), or of a team inside it (``scope`` its name)."""

    def __init__(
        self,
        run: str | None = None,
        limits: Limits | None = None,
        *,
        log: CallLog | None = None,
        spent: Iterable[CallRecord] = (),
    ) -> None:
        """A run's ledger; ``spent`` (or else ``log``) holds calls made before, e.g. on resume."""
        book = _Book(run or uuid.uuid4().hex, log)
        book.records = list(spent) or (log.load(book.run) if log else [])
        self._init(book, "", limits or Limits(), None)

    def _init(self, book: _Book, scope: str, limits: Limits, parent: Ledger | None) -> None:
        self._book = book
        self.scope = scope
        self.limits = limits
        self.parent = parent

    @property
    def run(self) -> str:
        """The id of the run this ledger belongs to."""
        return self._book.run

    def child(self, scope: str, limits: Limits | None = None) -> Ledger:
        """The ledger of team ``scope`` inside this run, with limits of its own."""
        ledger = Ledger.__new__(Ledger)
        ledger._init(self._book, self._path(scope), limits or Limits(), self)
        return ledger

    def _path(self, role: str) -> str:
        return f"{self.scope}/{role}" if self.scope else role

    def _chain(self) -> list[Ledger]:
        chain: list[Ledger] = []
        ledger: Ledger | None = self
        while ledger is not None:
            chain.append(ledger)
            ledger = ledger.parent
        return chain

    def _mine(self) -> list[CallRecord]:
        prefix = f"{self.scope}/"
        return [r for r in self._book.records if not self.scope or r["role"].startswith(prefix)]

    @property
    def calls(self) -> int:
        """Calls made in this ledger's scope."""
        with self._book.lock:
            return sum(r["calls"] for r in self._mine())

    @property
    def tokens(self) -> int:
        """Tokens (input + output) used in this ledger's scope."""
        with self._book.lock:
            return sum(r["input_tokens"] + r["output_tokens"] for r in self._mine())

    def reserve(
        self, role: str, task: str = "", prompt_tokens: int = 0, output_tokens: int = 0
    ) -> Reservation:
        """Count one more call by ``role`` (and write it down), or raise BudgetExceeded.

        A call counts from the moment it is allowed: a run killed while it waits for the
        reply has still made it. Against a token limit, the call must fit with its
        ``prompt_tokens`` beside what was spent and what the calls in flight hold; until
        it returns it holds ``prompt_tokens + output_tokens`` (its most output). So a run
        passes its token limit by at most one call's output.
        """
        record = CallRecord(
            role=self._path(role),
            calls=1,
            input_tokens=0,
            output_tokens=0,
            seconds=0.0,
            cost_usd=0.0,
            task=task,
        )
        reservation = Reservation(uuid.uuid4().hex, record)
        with self._book.lock:
            try:
                for ledger in self._chain():
                    ledger._check(prompt_tokens)
            except BudgetExceeded as error:
                error.ledger = self
                raise
            self._book.records.append(record)
            self._book.pending[reservation.key] = (record["role"], prompt_tokens + output_tokens)
        self._write(reservation)
        return reservation

    def _write(self, reservation: Reservation) -> None:
        if self._book.log is not None:
            self._book.log.write(self._book.run, reservation.key, reservation.record)

    def _held(self) -> int:
        """Tokens held by the calls in flight in this ledger's scope."""
        prefix = f"{self.scope}/"
        return sum(
            held
            for role, held in self._book.pending.values()
            if not self.scope or role.startswith(prefix)
        )

    def _check(self, prompt_tokens: int) -> None:
        mine = self._mine()
        calls = sum(r["calls"] for r in mine)
        tokens = sum(r["input_tokens"] + r["output_tokens"] for r in mine)
        limits = self.limits
        if limits.max_calls is not None and calls >= limits.max_calls:
            raise BudgetExceeded(
                "max_calls", f"The run reached its limit of {limits.max_calls} model calls."
            )
        limit = limits.max_tokens_total
        if limit is not None and tokens + self._held() + max(prompt_tokens, 1) > limit:
            raise BudgetExceeded(
                "max_tokens_total",
                f"The run reached its limit of {limit} tokens ({tokens} used).",
            )

    def settle(
        self,
        reservation: Reservation,
        input_tokens: int = 0,
        output_tokens: int = 0,
        seconds: float = 0.0,
        cost_usd: float | None = 0.0,
    ) -> None:
        """Record what a reserved call spent (a failed call spends no tokens, but counts)."""
        record = reservation.record
        with self._book.lock:
            self._book.pending.pop(reservation.key, None)
            record["input_tokens"] = input_tokens
            record["output_tokens"] = output_tokens
            record["seconds"] = round(seconds, 3)
            record["cost_usd"] = cost_usd
        self._write(reservation)

    def usage(self, task: str | None = None) -> UsageByRole:
        """Per role (relative to this ledger's scope): calls, tokens, seconds, cost.

        With ``task``, only the calls made for that task.
        """
        skip = len(self.scope) + 1 if self.scope else 0
        totals: UsageByRole = {}
        with self._book.lock:
            for record in self._mine():
                if task is not None and record.get("task", "") != task:
                    continue
                role = record["role"][skip:]
                add_call(
                    totals.setdefault(role, empty_usage()),
                    record["calls"],
                    record["input_tokens"],
                    record["output_tokens"],
                    record["seconds"],
                    record["cost_usd"],
                )
        return totals

    def absorb(self, usage: Mapping[str, RoleUsage]) -> None:
        """Count calls known only as a summary (a run restored without a call log)."""
        with self._book.lock:
            self._book.records.extend(summary_records(usage, self.scope))


def summary_records(usage: Mapping[str, RoleUsage], scope: str = "") -> list[CallRecord]:
    """One record per role standing for that role's calls in ``usage``."""
    return [
        CallRecord(
            role=f"{scope}/{role}" if scope else role,
            calls=counts["calls"],
            input_tokens=counts["input_tokens"],
            output_tokens=counts["output_tokens"],
            seconds=counts["seconds"],
            cost_usd=counts.get("cost_usd"),
            task="",
        )
        for role, counts in usage.items()
    ]


class StoreCallLog:
    """A :class:`CallLog` in a LangGraph store (namespace ``teamgraph/calls/<run>``)."""

    PAGE = 1000

    def __init__(self, store: Any) -> None:
        """Write into ``store`` (any ``BaseStore``)."""
        self.store = store

    def _namespace(self, run: str) -> tuple[str, ...]:
        return ("teamgraph", "calls", run.replace(".", "_"))

    def write(self, run: str, key: str, record: CallRecord) -> None:
        """Put ``record`` under ``key``."""
        self.store.put(self._namespace(run), key, dict(record), index=False)

    def load(self, run: str) -> list[CallRecord]:
        """Every record of ``run``."""
        records: list[CallRecord] = []
        offset = 0
        while True:
            page = self.store.search(self._namespace(run), limit=self.PAGE, offset=offset)
            records.extend(_record(item.value) for item in page)
            if len(page) < self.PAGE:
                return records
            offset += self.PAGE


def _record(value: Mapping[str, Any]) -> CallRecord:
    return CallRecord(
        role=str(value["role"]),
        calls=int(value["calls"]),
        input_tokens=int(value["input_tokens"]),
        output_tokens=int(value["output_tokens"]),
        seconds=float(value["seconds"]),
        cost_usd=value.get("cost_usd"),
        task=str(value.get("task", "")),
    )


_OPEN_RUNS = 512
_open: OrderedDict[tuple[str, str], Ledger] = OrderedDict()
_open_lock = threading.Lock()


def find_ledger(run: str, scope: str) -> Ledger | None:
    """The ledger of ``run`` (``scope`` of it) opened in this process, if any."""
    with _open_lock:
        ledger = _open.get((run, scope))
        if ledger is not None:
            _open.move_to_end((run, scope))
        return ledger


def latest_ledger(run_prefix: str) -> Ledger | None:
    """The outermost ledger used last in this process whose run id starts with ``run_prefix``."""
    with _open_lock:
        for (run, scope), ledger in reversed(_open.items()):
            if not scope and run.startswith(run_prefix):
                return ledger
    return None


def keep_ledger(ledger: Ledger) -> Ledger:
    """Make ``ledger`` findable by :func:`find_ledger` (the most recent runs are kept)."""
    with _open_lock:
        _open[(ledger.run, ledger.scope)] = ledger
        _open.move_to_end((ledger.run, ledger.scope))
        while len(_open) > _OPEN_RUNS:
            _open.popitem(last=False)
    return ledger
