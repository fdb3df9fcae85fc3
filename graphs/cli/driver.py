"""Run a team from the command line: live progress, approvals, limits, the result, an exit code.

Every command that runs a team (``write``, ``ask``, ``run``, ``resume``) goes through
:func:`drive`: one stream loop feeding the team's live view, approvals asked on a
terminal (or left waiting, exit code 3), then the result printed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langgraph.types import Command
from rich.console import Console

from agents.llm.ledger import find_ledger, latest_ledger
from graphs.cli.approvals import ask, can_ask
from graphs.cli.exit_codes import EXIT_OK, EXIT_WAITING
from graphs.cli.heap import set_up_done
from graphs.cli.interrupts import resume_command, resume_hint, stop_at_once
from graphs.cli.results import print_failure, print_pending, print_result
from graphs.threads.jobs import Job
from graphs.threads.location import checkpoint_url
from graphs.threads.postgres_errors import is_database_error, lost_database
from graphs.threads.timeline import request_seconds
from tools.kernel.errors import ModelCallError, TeamgraphError


@dataclass(frozen=True)
class Outcome:
    """How a driven run ended: the exit code and the state it reached."""

    code: int
    state: dict[str, Any]


@dataclass(frozen=True)
class Display:
    """How the run is shown."""

    json: bool = False
    quiet: bool = False
    stream_tokens: bool = False


def drive(job: Job, payload: Any, console: Console, display: Display) -> Outcome:
    """Run ``job`` to its end or to a stop for a person; Ctrl-C stops it at once.

    With ``--json`` a run that fails still prints one JSON object: the error, the stop
    reason ``error``, the thread and the usage so far.
    """
    state: dict[str, Any] = {}
    with stop_at_once(console, lambda: resume_hint(job.thread, job.server)):
        try:
            return _drive(job, payload, console, display, state)
        except KeyboardInterrupt:
            console.print(f"[yellow]interrupted:[/yellow] {resume_hint(job.thread, job.server)}")
            raise
        except Exception as error:
            note_kept_run(error, job)
            if display.json:
                print_failure(error, job.thread, usage_so_far(job, state))
            raise


def note_kept_run(error: Exception, job: Job) -> None:
    """Add to a run's error where its finished steps are kept and the command going on from them.

    Only for an error teamgraph words (a model that failed, a renderer, a limit of a
    provider) on a thread of this process whose failed step is still to run; an error
    that already says how to resume is left as it is.
    """
    if not isinstance(error, TeamgraphError) or not job.thread or job.server:
        return
    if "teamgraph resume" in str(error):
        return
    try:
        pending = job.graph.get_state(job.config).next
    except Exception:
        return
    if pending:
        other = (
            " (add `--model ROLE=MODEL` for another model)"
            if isinstance(error, ModelCallError)
            else ""
        )
        error.next_step = (
            f"The run is kept on thread {job.thread}: `{resume_command(job.thread)}` goes on "
            f"from its failed step ({', '.join(pending)}){other}."
        )


def usage_so_far(job: Job, state: Mapping[str, Any]) -> dict[str, Any]:
    """What the run has spent, calls in its unfinished step included (from its ledger)."""
    run = state.get("run")
    if run:
        ledger = find_ledger(run["id"], run["scope"])
    else:
        ledger = latest_ledger(f"{job.thread or 'run'}:")
    return dict(ledger.usage()) if ledger is not None else dict(state.get("usage") or {})


def _drive(
    job: Job, payload: Any, console: Console, display: Display, state: dict[str, Any]
) -> Outcome:
    started = time.monotonic()
    asked = False
    shown = ""
    while True:
        state.clear()
        try:
            _stream(job, payload, console, display, state, started)
        except sqlite3.OperationalError as error:
            if "full" not in str(error):
                raise
            if not display.json:
                _print(job, state, started, console, display)
            raise TeamgraphError(
                f"The disk is full, so the run's last steps could not be saved ({error}). "
                + ("" if display.json else "The result so far is printed above. ")
                + "Free some space, then "
                + (f"`teamgraph resume --thread {job.thread}`." if job.thread else "run again.")
            ) from error
        except Exception as error:
            url = checkpoint_url()
            if url is None or not is_database_error(error):
                raise
            raise lost_database(url, error, job.thread) from error
        pending = _pending(job)
        if not pending:
            _print(job, state, started, console, display, shown)
            return Outcome(EXIT_OK, state)
        reply = None if display.json or not can_ask(console) else _ask(console, pending[0], asked)
        if reply is None:
            print_pending(pending[0], job.thread, console, display.json, job.server)
            return Outcome(EXIT_WAITING, state)
        payload, asked = Command(resume=reply), True
        shown = str(pending[0].get("reply") or "")


def _ask(console: Console, pending: Any, again: bool) -> str | None:
    """The person's reply at the terminal; None if the input ended (Ctrl-D) unanswered."""
    try:
        return ask(console, pending, again=again)
    except EOFError:
        console.print()
        return None


def _print(
    job: Job,
    state: dict[str, Any],
    started: float,
    console: Console,
    display: Display,
    shown: str = "",
) -> None:
    """The run's result; ``shown`` is a text the person was shown at a stop (a reply rated)."""
    print_result(
        job.spec,
        state,
        time.monotonic() - started,
        console,
        as_json=display.json,
        quiet=display.quiet,
        thread=job.thread,
        since_request=request_seconds(job.graph, job.config) if _kept(job) else None,
        shown=shown,
    )


def _stream(
    job: Job,
    payload: Any,
    console: Console,
    display: Display,
    values: dict[str, Any],
    started: float,
) -> None:
    """Run the graph, feeding the live view; ``values`` holds the latest state as it comes.

    The view counts its total from ``started``, so after a person's answer it goes on
    from where the run was, as the last line does.
    """
    tokens = display.stream_tokens and not display.json
    modes = ["tasks", "values", "custom", *(["messages"] if tokens else [])]
    text_nodes = job.spec.streamed_text_nodes()
    last_text_node: list[str] = [""]
    view = job.spec.view(console, job.settings, display.quiet)
    view.count_from(started)
    if _kept(job) and not isinstance(payload, dict):
        view.on_resume(job.graph.get_state(job.config).values)
    set_up_done()
    with view:
        for namespace, mode, chunk in job.graph.stream(
            payload, job.config, stream_mode=modes, subgraphs=True, **_durability(job)
        ):
            if mode == "values":
                if not namespace:
                    values.clear()
                    values.update(chunk)
                else:
                    view.on_values(namespace, chunk)
            elif mode == "tasks":
                if "result" not in chunk:
                    view.on_start(namespace, chunk["name"], values)
                elif chunk.get("error") is None:
                    update, of_node = node_update(chunk["result"])
                    if of_node and not namespace:
                        values.update(update)
                    view.on_done(namespace, chunk["name"], update)
            elif mode == "custom":
                if isinstance(chunk, dict):
                    view.on_event(chunk)
            else:
                _show_token(console, chunk, text_nodes, last_text_node)
    if _kept(job):
        values.update(job.graph.get_state(job.config).values)


TASK_RETURN = "__return__"
"""Where the tasks stream puts what a task run inside a node (a ``@task``) returned."""


def node_update(result: Any) -> tuple[dict[str, Any], bool]:
    """A finished task's update for the view, and whether it is a node's (part of the state).

    A ``@task`` run inside a node (a research task) finishes with what it returned, under
    :data:`TASK_RETURN`: the view gets that, and the run's state does not (its node's own
    update comes when the node ends).
    """
    update = dict(result or {})
    if TASK_RETURN not in update:
        return update, True
    returned = update[TASK_RETURN]
    return (dict(returned) if isinstance(returned, Mapping) else {}), False


def _kept(job: Job) -> bool:
    """Whether the run is kept on a thread (its state can be read back)."""
    return job.graph.checkpointer is not None and bool(job.config.get("configurable"))


def _durability(job: Job) -> dict[str, Any]:
    """Each step saved before the next starts, so Ctrl-C or kill -9 loses no finished step."""
    return {"durability": "sync"} if job.graph.checkpointer is not None else {}


def _show_token(console: Console, chunk: Any, text_nodes: frozenset[str], last: list[str]) -> None:
    message, metadata = chunk
    node = str(metadata.get("langgraph_node", ""))
    if node not in text_nodes or not isinstance(message.content, str) or not message.content:
        return
    if last[0] != node:
        console.file.write(f"\n[{node}] ")
        last[0] = node
    console.file.write(message.content)
    console.file.flush()


def _pending(job: Job) -> list[Any]:
    if not _kept(job):
        return []
    return [item.value for item in job.graph.get_state(job.config).interrupts]
