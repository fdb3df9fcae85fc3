"""Live views of a team run on a terminal: who is working, on what, for how long.

A team's spec names the factory of its view (:data:`ViewFactory`): most teams put their
nodes into words with a :class:`Narrator` shown by a :class:`ProgressView`
(:func:`narrated`); a team without one gets a line per finished node (:func:`node_lines`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

if TYPE_CHECKING:
    from langchain_core.messages import AIMessage

_SHOWING: list[Live] = []
"""The live displays on screen now (a team's view and its members' share one)."""


def stop_live_displays() -> None:
    """Take every live display off the screen (before a last word such as Ctrl-C's)."""
    while _SHOWING:
        _SHOWING.pop().stop()


class LiveView:
    """Shows ``renderable()`` live on stderr while entered, when stderr is a terminal."""

    def __init__(self, console: Console, *, quiet: bool = False) -> None:
        """Nothing is shown until the view is entered; ``quiet`` shows nothing at all."""
        self.console = console
        self.quiet = quiet
        self.started = time.monotonic()
        self.live: Live | None = None

    def count_from(self, started: float) -> None:
        """Count the total from ``started`` (a run going on after a person's answer)."""
        self.started = started

    def renderable(self) -> RenderableType:
        """What the live display shows (re-rendered on every refresh)."""
        raise NotImplementedError

    def __rich__(self) -> RenderableType:
        """Rich's hook: render the current view."""
        return self.renderable()

    def __enter__(self) -> Self:
        """Start the live display when stderr is a terminal."""
        if not self.quiet and self.console.is_terminal:
            self.live = Live(self, console=self.console, refresh_per_second=8, transient=True)
            self.live.__enter__()
            _SHOWING.append(self.live)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the live display, then let the view print its last word."""
        if self.live is not None and self.live in _SHOWING:
            _SHOWING.remove(self.live)
            self.live.__exit__(kind, error, trace)
        self.finish()

    def finish(self) -> None:
        """Print what should stay on screen after the live display (nothing by default)."""

    def on_event(self, event: Mapping[str, Any]) -> None:
        """Something a node said while it works (a model call made again), as a line."""
        if self.quiet or event.get("kind") != "retry":
            return
        line = Text.assemble(
            ("! ", "yellow"),
            f"the {event['role']} model's call failed ({event['error']}); trying again "
            f"(attempt {event['attempt']} of {event['attempts']})",
        )
        self.console.print(line, highlight=False, soft_wrap=True)

    def on_resume(self, state: Mapping[str, Any]) -> None:
        """The run goes on from ``state``, its last saved state (ignored by default)."""

    def on_values(self, namespace: tuple[str, ...], values: Mapping[str, Any]) -> None:
        """A team inside the run (``namespace``) reached a new state (ignored by default)."""

    def on_start(self, namespace: tuple[str, ...], node: str, state: Mapping[str, Any]) -> None:
        """A node started; ``state`` is the run's latest state (nothing shown by default)."""

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """A node finished with ``update`` (nothing shown by default)."""

    @property
    def elapsed(self) -> float:
        """Seconds since the view was created."""
        return time.monotonic() - self.started


def count(number: int, noun: str) -> str:
    """``1 section``, ``3 sections``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when it is too long."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line[: width - 1].rsplit(" ", 1)[0] if " " in line[: width - 1] else line[: width - 1]
    return cut.rstrip(",;:.") + "…"


def node_path(namespace: tuple[str, ...], node: str) -> str:
    """``node``, or ``subgraph/node`` for a node inside a subgraph (``namespace``)."""
    return "/".join([*(part.split(":")[0] for part in namespace), node])


def written(update: Mapping[str, Any], key: str) -> Any:
    """What a node wrote to ``key`` (unwrapping an ``Overwrite``), or None."""
    value = update.get(key)
    return getattr(value, "value", value)


def tools_observed(update: Mapping[str, Any]) -> str:
    """The line of a ReAct step that ran tools: each tool's name and what it returned."""
    return "; ".join(f"{m.name}: {shorten(str(m.content), 90)}" for m in update.get("messages", []))


class ToolChoices:
    """The tool calls each chooser made in this run, to tell a new choice from a repeat.

    A turn whose every call was already made with the same input is not run (the loop
    answers instead), so its line must not say the tools were chosen. Each loop starts
    with no call made (a team's role may run its loop again in a later round).
    """

    def __init__(self) -> None:
        """Remember no call yet."""
        self._made: dict[str, list[AIMessage]] = {}

    def calls(self, update: Mapping[str, Any], chooser: str) -> tuple[list[str], bool]:
        """The names of the tools the turn in ``update`` called, and whether it repeats."""
        from langchain_core.messages import AIMessage

        from agents.react_agent import repeats_earlier_call

        messages = update.get("messages") or []
        last = messages[-1] if messages else None
        if not isinstance(last, AIMessage) or not last.tool_calls:
            return [], False
        calls = last.tool_calls
        earlier = self._made.setdefault(chooser, [])
        repeated = repeats_earlier_call(last, earlier)
        earlier.append(last)
        return [call["name"] for call in calls], repeated

    def forget(self, chooser: str) -> None:
        """``chooser``'s loop ended: a loop it starts again has made no call yet."""
        self._made.pop(chooser, None)


def repeated_line(chooser: str, names: str) -> str:
    """The line of a turn that only asked again for calls already made."""
    return f"{chooser} asked for {names} again with the same input: nothing new to read"


def tools_chosen(update: Mapping[str, Any], chooser: str, choices: ToolChoices) -> str | None:
    """The line of a ReAct step that called tools (None if it answered instead).

    ``CHOOSER chose NAMES``, the opening search with the question itself, or a repeat.
    """
    from agents.react_agent import SEARCH_FIRST_THOUGHT

    called, repeated = choices.calls(update, chooser)
    if not called:
        return None
    names = ", ".join(called)
    if repeated:
        return repeated_line(chooser, names)
    if update["messages"][-1].content == SEARCH_FIRST_THOUGHT:
        return f"Searching {names} with the question"
    return f"{chooser} chose {names}"


def fallback_lines(update: Mapping[str, Any]) -> list[str]:
    """A line for each decision in ``update`` whose replies never validated."""
    return [
        f"fallback: the {note['role']}'s {note['decision']} could not be read "
        f"({shorten(note['error'], 120)}); its documented fallback was used"
        for note in written(update, "fallbacks") or []
    ]


class Narrator:
    """What a team's nodes are doing, in words: one activity per node, a line when done.

    A node inside a subgraph is named by its path, e.g. ``account/tools``.
    """

    def activity(self, node: str, state: Mapping[str, Any]) -> str | None:
        """What ``node`` is doing as it starts (None: keep the current activity)."""
        return None

    def done(self, node: str, update: Mapping[str, Any]) -> str | None:
        """The line to print when ``node`` has finished (None: no line)."""
        return None


class CappedNarrator(Narrator):
    """A narrator that tells how far a run is from its cap (of revisions, of tool rounds)."""

    cap_setting: ClassVar[str]
    """The setting holding the cap."""
    default_cap: ClassVar[int]
    """The cap of a run that does not set it."""

    def __init__(self, cap: int) -> None:
        """Narrate a run allowing ``cap`` rounds."""
        self.cap = cap

    @classmethod
    def for_run(cls, settings: Mapping[str, Any]) -> Self:
        """The narrator of a run with these settings."""
        return cls(int(settings.get(cls.cap_setting, cls.default_cap)))


class ProgressView(LiveView):
    """One activity at a time as a spinner, and a line per finished step.

    On a terminal the current activity is a live spinner; elsewhere (pipes, CI logs)
    only the finished-step lines are printed. A node's line gives the time from that
    node's start to its end, so steps that run at once are each timed right.
    """

    def __init__(
        self, console: Console, narrator: Narrator | None = None, *, quiet: bool = False
    ) -> None:
        """Start with no activity; ``narrator`` puts the team's nodes into words."""
        super().__init__(console, quiet=quiet)
        self.narrator = narrator or Narrator()
        self.activity = "starting"
        self.activity_started = self.started
        self.spinner = Spinner("dots")
        self.node_starts: dict[tuple[tuple[str, ...], str], list[float]] = {}
        """When each running node started, by namespace and name (the latest start is used)."""

    def renderable(self) -> RenderableType:
        """The spinner with the current activity and the elapsed times."""
        now = time.monotonic()
        self.spinner.text = Text.assemble(
            (self.activity, "bold"),
            f"  {now - self.activity_started:4.1f}s  (total {now - self.started:4.1f}s)",
        )
        return self.spinner

    def begin(self, activity: str) -> None:
        """A role started working on ``activity``."""
        self.activity = activity
        self.activity_started = time.monotonic()

    def done(self, line: str, started: float | None = None) -> None:
        """A step that began at ``started`` (default: the activity's start) finished."""
        if self.quiet:
            return
        took = time.monotonic() - (self.activity_started if started is None else started)
        self.console.print(
            f"[green]✓[/green] {line} [dim]({took:.1f}s)[/dim]", highlight=False, soft_wrap=True
        )

    def on_start(self, namespace: tuple[str, ...], node: str, state: Mapping[str, Any]) -> None:
        """Show what the starting node does."""
        self.node_starts.setdefault((namespace, node), []).append(time.monotonic())
        activity = self.narrator.activity(node_path(namespace, node), state)
        if activity:
            self.begin(activity)

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """Print the line of a finished node (a subgraph's fallbacks when it hands them back)."""
        starts = self.node_starts.get((namespace, node))
        started = starts.pop() if starts else None
        stop = update.get("budget_stop")
        path = node_path(namespace, node)
        line = f"Stopped: {stop['message']}" if stop else self.narrator.done(path, update)
        if line:
            self.done(line, started)
        for warning in [] if namespace else fallback_lines(update):
            self.console.print(f"[yellow]![/yellow] {warning}", highlight=False, soft_wrap=True)


def team_of(namespace: tuple[str, ...]) -> str:
    """The node running the team a ``namespace`` is inside (``research`` of ``research:id``)."""
    return namespace[0].split(":")[0] if namespace else ""


class MemberViews(LiveView):
    """A view that shows, within itself, the live view of the team working inside its run.

    One team works at a time: ``current`` names it ("" for none). Each team's view shares
    this view's live display; a subclass passes that team's nodes on to it.
    """

    members: dict[str, LiveView]
    current: str
    member_state: dict[str, dict[str, Any]]

    def hold_members(self, members: Mapping[str, LiveView]) -> None:
        """Show ``members`` (each team's view, by the name of the node that runs it)."""
        self.members = dict(members)
        self.current = ""
        self.member_state = {}

    def __enter__(self) -> Self:
        """Start the display; the teams' views show inside it."""
        super().__enter__()
        for member in self.members.values():
            member.live = self.live
        return self

    def count_from(self, started: float) -> None:
        """Count this view's total and every team's from ``started``."""
        super().count_from(started)
        for member in self.members.values():
            member.count_from(started)

    def finish(self) -> None:
        """Leave the working team's last view (e.g. the research plan) on screen."""
        if self.current in self.members:
            self.members[self.current].finish()

    def member_in(self, namespace: tuple[str, ...]) -> LiveView | None:
        """The view of the team working in ``namespace`` (None outside one), now the current."""
        name = team_of(namespace)
        member = self.members.get(name)
        if member is not None and name != self.current:
            self.switch_to(name)
        return member

    def switch_to(self, name: str) -> None:
        """The team ``name`` starts working (a subclass also says so)."""
        self.current = name

    def on_values(self, namespace: tuple[str, ...], values: Mapping[str, Any]) -> None:
        """Keep each team's latest state (its activities read it)."""
        if namespace:
            self.member_state[team_of(namespace)] = dict(values)

    def on_start(self, namespace: tuple[str, ...], node: str, state: Mapping[str, Any]) -> None:
        """A team's node goes to that team's view, with that team's state; others to this one."""
        member = self.member_in(namespace)
        if member is None:
            super().on_start(namespace, node, state)
            return
        member.on_start(namespace[1:], node, self.member_state.get(team_of(namespace), {}))

    def on_event(self, event: Mapping[str, Any]) -> None:
        """A retry said here; anything else a team says goes to the working team's view."""
        member = self.members.get(self.current)
        if event.get("kind") != "retry" and member is not None:
            member.on_event(event)
        else:
            super().on_event(event)


class NodeLines(LiveView):
    """Prints ``[elapsed] node`` as nodes finish (``team/node`` for the teams inside)."""

    def on_done(self, namespace: tuple[str, ...], node: str, update: Mapping[str, Any]) -> None:
        """One line for the finished node."""
        if self.quiet:
            return
        self.console.print(
            f"[dim][{time.monotonic() - self.started:6.1f}s][/dim] {node_path(namespace, node)}",
            highlight=False,
            soft_wrap=True,
        )
        for warning in fallback_lines(update):
            self.console.print(f"  [yellow]![/yellow] {warning}", highlight=False, soft_wrap=True)


ViewFactory = Callable[[Console, Mapping[str, Any], bool], LiveView]
"""``(console, the run's settings, quiet)`` -> the live view of one run of a team."""


def node_lines(console: Console, settings: Mapping[str, Any], quiet: bool) -> LiveView:
    """The view of a team with no narrator: a line per finished node."""
    return NodeLines(console, quiet=quiet)


def narrated(narrator: Callable[[Mapping[str, Any]], Narrator]) -> ViewFactory:
    """The factory of a progress view whose narrator is made from the run's settings."""

    def view(console: Console, settings: Mapping[str, Any], quiet: bool) -> LiveView:
        return ProgressView(console, narrator(settings), quiet=quiet)

    return view
