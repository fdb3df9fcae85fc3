"""Copy threads from one checkpointer and store to another, ledgers included.

Every checkpoint is copied (the teams' inside a thread too), with the writes still
pending on it and the store's items (the run ledgers). A thread the target already holds
is left as it is there, so copying again adds only the threads that are new. Checkpoints
are copied oldest first, so each finds its parent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig

PAGE = 1000


@dataclass
class Copied:
    """What a copy did: threads copied or left alone, checkpoints, writes and store items."""

    threads: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)
    """Threads not copied, with the reason (e.g. running now)."""
    checkpoints: int = 0
    writes: int = 0
    store_items: int = 0


def _by_thread(saver: Any) -> dict[str, dict[str, list[Any]]]:
    """Thread id -> namespace -> its checkpoint tuples, oldest first."""
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for item in saver.list(None):
        configurable = item.config["configurable"]
        found[configurable["thread_id"]][configurable.get("checkpoint_ns", "")].append(item)
    for namespaces in found.values():
        for items in namespaces.values():
            items.sort(key=lambda item: item.checkpoint["id"])
    return found


def _copy_checkpoint(item: Any, target: Any) -> int:
    """Put one checkpoint and its pending writes into ``target``; the number of writes."""
    configurable = item.config["configurable"]
    where = {"thread_id": configurable["thread_id"], "checkpoint_ns": configurable["checkpoint_ns"]}
    parent = (item.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    into = RunnableConfig(configurable={**where, **({"checkpoint_id": parent} if parent else {})})
    versions = dict(item.checkpoint.get("channel_versions") or {})
    saved = target.put(into, item.checkpoint, item.metadata or {}, versions)
    tasks: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for task_id, channel, value in item.pending_writes or []:
        tasks[task_id].append((channel, value))
    for task_id, writes in tasks.items():
        target.put_writes(saved, writes, task_id)
    return sum(len(writes) for writes in tasks.values())


def _store_items(store: Any) -> Iterator[Any]:
    offset = 0
    while True:
        namespaces = store.list_namespaces(limit=PAGE, offset=offset)
        for namespace in namespaces:
            start = 0
            while True:
                page = store.search(namespace, limit=PAGE, offset=start)
                yield from (item for item in page if tuple(item.namespace) == tuple(namespace))
                if len(page) < PAGE:
                    break
                start += PAGE
        if len(namespaces) < PAGE:
            return
        offset += PAGE


def copy_threads(
    source: tuple[Any, Any],
    target: tuple[Any, Any],
    skip: Callable[[str], str | None] = lambda thread: None,
    on_thread: Callable[[str, str], None] | None = None,
) -> Copied:
    """Copy every thread of ``source`` (checkpointer, store) into ``target``.

    ``skip(thread)`` gives a reason to leave a thread out (None copies it); ``on_thread``
    hears each thread with what happened to it (``copied``, ``already there`` or the reason).
    """
    (saver, store), (into_saver, into_store) = source, target
    copied = Copied()
    for thread, namespaces in _by_thread(saver).items():
        reason = skip(thread)
        if reason:
            copied.left_out[thread] = reason
        elif into_saver.get_tuple(RunnableConfig(configurable={"thread_id": thread})):
            copied.already_there.append(thread)
            reason = "already there, left as it is"
        else:
            for items in namespaces.values():
                for item in items:
                    copied.writes += _copy_checkpoint(item, into_saver)
                    copied.checkpoints += 1
            copied.threads.append(thread)
        if on_thread:
            on_thread(thread, reason or "copied")
    copied.store_items = _copy_store(store, into_store)
    return copied


def _copy_store(store: Any, into: Any) -> int:
    count = 0
    for item in _store_items(store):
        into.put(tuple(item.namespace), item.key, item.value, index=False)
        count += 1
    return count
