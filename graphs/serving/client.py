"""A team served by an Agent Protocol server, used as a compiled graph is used.

Through ``langgraph_sdk`` only, so Aegra, ``langgraph dev`` and LangChain's hosted server
are interchangeable. A thread keeps its teamgraph name: Aegra takes it as its id, and on
LangChain's Agent Server (``langgraph dev``, the hosted one), which takes only UUIDs, a
name that is no UUID stands for the UUID derived from it, the same in every process.
A run is created in the background and followed with ``join_stream``: a connection lost
mid-run (the worker that served the stream was killed, a proxy went away) is joined again
from the last event seen, while the run goes on on the server. State, history and
interrupts are read back as :class:`~langgraph.pregel.remote.RemoteGraph` reads them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, cast

import httpx
from langchain_core.messages import AIMessageChunk
from langchain_core.runnables import RunnableConfig
from langgraph.pregel.remote import RemoteGraph
from langgraph.types import Command, Overwrite
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient
from langgraph_sdk.errors import APIStatusError, NotFoundError, UnprocessableEntityError
from langgraph_sdk.schema import StreamMode

from tools.kernel import strict_json
from tools.kernel.errors import TeamgraphError
from tools.kernel.urls import masked

RECONNECT_S = 300.0
"""How long to keep joining a run again after its stream broke (a killed worker's run is
taken up by another once its lease expires)."""
ACTIVE = ("pending", "running")
INTERRUPT = "__interrupt__"
OVERWRITE = "__overwrite__"
THREAD_NAMES = uuid.UUID("5c0d4b52-8f3e-4a7e-9a41-7d2f6e1b3c90")
"""The namespace of the UUIDs that stand for thread names on a server taking only UUIDs."""


class ServerError(TeamgraphError):
    """The server refused a request, failed a run, or could not be reached."""


def _split(event: str) -> tuple[str, tuple[str, ...]]:
    """``tasks|research:id`` -> (``tasks``, (``research:id``,))."""
    mode, *namespace = event.split("|")
    return mode, tuple(namespace)


def _written(value: Any) -> Any:
    """A node's write as the node made it: an ``Overwrite`` comes back as one."""
    if isinstance(value, dict) and set(value) == {"value", "type"} and value["type"] == OVERWRITE:
        return Overwrite(value["value"])
    return value


def _data(mode: str, data: Any) -> Any:
    if mode == "tasks" and isinstance(data, dict) and isinstance(data.get("result"), dict):
        return {**data, "result": {k: _written(v) for k, v in data["result"].items()}}
    if mode == "values" and isinstance(data, dict):
        return {key: value for key, value in data.items() if key != INTERRUPT}
    if mode == "messages" and isinstance(data, list | tuple) and data:
        message = data[0] if isinstance(data[0], dict) else {}
        return AIMessageChunk(content=message.get("content") or ""), dict(data[1] or {})
    return data


class ServedTeam(RemoteGraph):
    """Team ``team`` on the server at ``url``, its settings given as each run's ``context``.

    ``stream``, ``invoke``, ``get_state`` and ``get_state_history`` behave as a local
    graph's with a checkpointer: the server keeps every run on a thread.
    """

    checkpointer = True
    """Runs are kept on the server's threads, so their state can be read back."""
    store = None

    def __init__(
        self,
        team: str,
        url: str,
        *,
        context: Mapping[str, Any] | None = None,
        api_key: str | None = None,
    ) -> None:
        """Reach ``team`` at ``url``; ``context`` holds the settings every run is given."""
        self.api: SyncLangGraphClient = get_sync_client(
            url=url, api_key=api_key, timeout=(30.0, 600.0, 30.0, 30.0)
        )
        super().__init__(team, url=url, api_key=api_key, sync_client=self.api)
        self.url = url
        self.team = team
        self.context = dict(context or {})
        self._takes_names: bool | None = None

    def server_thread(self, name: str) -> str:
        """The server's id of the thread ``name``: the name, or the UUID that stands for it.

        Whether the server takes names is asked once, by looking the thread up: LangChain's
        Agent Server refuses a thread id that is no UUID (422) before it looks.
        """
        if _is_uuid(name):
            return name
        if self._takes_names is None:
            try:
                self.api.threads.get(name)
                self._takes_names = True
            except UnprocessableEntityError:
                self._takes_names = False
            except APIStatusError:
                self._takes_names = True
            except httpx.TransportError as error:
                raise self._unreachable(error) from None
        return name if self._takes_names else str(uuid.uuid5(THREAD_NAMES, name))

    def thread_team(self, name: str) -> str | None:
        """The team whose runs the server keeps on thread ``name``; None if there is none.

        A thread that has had no run yet names no team ("").
        """
        try:
            found = self.api.threads.get(self.server_thread(name))
        except NotFoundError:
            return None
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        return str((found.get("metadata") or {}).get("graph_id") or "")

    def _on_server(self, config: RunnableConfig) -> RunnableConfig:
        """``config`` naming its thread by the server's id."""
        configurable = dict(config.get("configurable") or {})
        configurable["thread_id"] = self.server_thread(str(configurable["thread_id"]))
        return {**config, "configurable": configurable}

    def get_state(self, config: RunnableConfig, **_: Any) -> Any:
        """The thread's latest state (asked without a checkpoint, which Aegra requires)."""
        thread = self.server_thread(str(config["configurable"]["thread_id"]))
        return self._create_state_snapshot(self.api.threads.get_state(thread))

    def get_state_history(self, config: RunnableConfig, **kwargs: Any) -> Iterator[Any]:
        """The thread's checkpoints, newest first."""
        return super().get_state_history(self._on_server(config), **kwargs)

    def _refused(self, error: APIStatusError, thread: str) -> ServerError:
        if error.status_code == 409:
            return ServerError(
                f"Thread {thread!r} is being run on the server at {masked(self.url)}: wait "
                "for it to end, or follow it with `teamgraph resume --thread "
                f"{thread} --server URL`. Nothing was run."
            )
        return ServerError(f"The server at {masked(self.url)} refused the run: {error}")

    def stream(  # type: ignore[override]
        self,
        input: Any,
        config: RunnableConfig | None = None,
        *,
        stream_mode: Any = None,
        subgraphs: bool = False,
        context: Mapping[str, Any] | None = None,
        durability: str | None = None,
        **_: Any,
    ) -> Iterator[Any]:
        """Run the team (or join the run in flight on the thread, when ``input`` is None).

        Yields what a compiled graph's ``stream`` yields for these modes and ``subgraphs``.
        """
        single = isinstance(stream_mode, str)
        modes = [stream_mode] if single else list(stream_mode or ["values"])
        wire: list[StreamMode] = [
            "messages-tuple" if mode == "messages" else mode for mode in modes
        ]
        name = str(((config or {}).get("configurable") or {}).get("thread_id") or "")
        thread = self.server_thread(name) if name else self.api.threads.create()["thread_id"]
        run = self._joinable(thread) if input is None else None
        if run is None:
            run = self._create(thread, name or thread, input, wire, subgraphs, context, durability)
        for namespace, mode, data in self.follow(thread, run):
            if (namespace and not subgraphs) or mode not in modes:
                continue
            if single:
                yield (namespace, data) if subgraphs else data
            else:
                yield (namespace, mode, data) if subgraphs else (mode, data)

    def _joinable(self, thread: str) -> str | None:
        """The run in flight on ``thread``, if any (a resume follows it instead of racing it)."""
        for run in self.api.runs.list(thread, limit=5):
            if run["status"] in ACTIVE:
                return str(run["run_id"])
        return None

    def _create(
        self,
        thread: str,
        name: str,
        input: Any,
        modes: list[StreamMode],
        subgraphs: bool,
        context: Mapping[str, Any] | None,
        durability: str | None,
    ) -> str:
        command = {"resume": input.resume} if isinstance(input, Command) else None
        settings = {**self.context, **(context or {})}
        saved = {
            "teamgraph_team": self.team,
            "teamgraph_thread": name,
            "teamgraph_settings": strict_json.dumps(settings),
        }
        try:
            run = self.api.runs.create(
                thread,
                self.team,
                input=None if command else input,
                command=cast(Any, command),
                context=settings or None,
                config=cast(Any, {"metadata": saved}),
                stream_mode=modes,
                stream_subgraphs=subgraphs,
                stream_resumable=True,
                if_not_exists="create",
                multitask_strategy="reject",
                durability=cast(Any, durability),
            )
        except APIStatusError as error:
            raise self._refused(error, name) from None
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        return str(run["run_id"])

    def _unreachable(self, error: Exception) -> ServerError:
        return unreachable(self.url, error)

    def follow(self, thread: str, run: str) -> Iterator[tuple[Any, str, Any]]:
        """Each event of ``run`` as (namespace, mode, data) until it ends.

        The run is joined with no stream mode named, so it sends every mode it was created
        with: LangChain's Agent Server keeps only one of several modes a join names (and
        Aegra reads none). After a broken connection the run is joined again from the last
        event seen.
        """
        last: str | None = None
        broken_since: float | None = None
        while True:
            try:
                for part in self.api.runs.join_stream(thread, run, last_event_id=last):
                    broken_since = None
                    last = part.id or last
                    mode, namespace = _split(part.event)
                    if mode == "error":
                        raise ServerError(f"The run failed on the server: {_message(part.data)}")
                    if mode == "end":
                        return
                    if mode != "metadata":
                        yield (
                            namespace,
                            "messages" if mode.startswith("messages") else mode,
                            _data(mode, part.data),
                        )
                if self.api.runs.get(thread, run)["status"] not in ACTIVE:
                    return
            except (httpx.TransportError, APIStatusError) as error:
                if isinstance(error, APIStatusError) and error.status_code < 500:
                    raise server_said(self.url, error) from None
                broken_since = broken_since or time.monotonic()
                if time.monotonic() - broken_since > RECONNECT_S:
                    raise self._unreachable(error) from None
                time.sleep(1.0)


def unreachable(url: str, error: Exception) -> ServerError:
    """The server at ``url`` did not answer (``error``), its password never said."""
    return ServerError(
        f"Cannot reach the server at {masked(url)} ({error}): is `teamgraph serve` "
        "(or another Agent Protocol server) running there?"
    )


def server_said(url: str, error: Exception) -> ServerError:
    """The server at ``url`` refused a request with ``error``."""
    return ServerError(f"The server at {masked(url)} said: {error}")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _message(data: Any) -> str:
    if isinstance(data, Mapping):
        return str(data.get("message") or data.get("error") or data)
    return str(data)
