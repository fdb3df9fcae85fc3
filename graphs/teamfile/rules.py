"""Rules that tie a team file's keys together: each shape's roles, aggregation, unique names."""

from __future__ import annotations

from collections.abc import Callable

from graphs.registry import team_spec
from graphs.teamfile.schema import RoleEntry, TeamFile

Path = tuple[str | int, ...]
OPEN, FINISH, VOTE = "start", "finish", "vote"
RESERVED = (OPEN, FINISH, VOTE)
"""Node names every team file's graph may use besides its roles."""


class Problem(Exception):
    """A rule a team file breaks, at the key ``path`` (e.g. ``("roles", 1, "tools")``)."""

    def __init__(self, path: Path, message: str) -> None:
        """Record where the problem is, and what it is."""
        super().__init__(message)
        self.path = path
        self.message = message


def check_rules(team: TeamFile) -> None:
    """Raise :class:`Problem` for the first rule ``team`` breaks."""
    _names(team)
    for index, entry in enumerate(team.roles):
        _one_way_to_play(entry, index)
    SHAPE_RULES[team.shape](team)
    if team.shape != "broadcast":
        _no_aggregation(team)
    for index, entry in enumerate(team.roles):
        if entry.tools and entry.kind == "team_file":
            raise Problem(
                ("roles", index, "tools"),
                "a team file's roles name their own tools: give tools to its roles instead",
            )
        if entry.tools and entry.kind == "team" and not team_spec(str(entry.team)).uses_tools:
            raise Problem(("roles", index, "tools"), f"the {entry.team} team uses no tools")


def _one_way_to_play(entry: RoleEntry, index: int) -> None:
    """A role says what it does in one way: its own words, a team, or a team file."""
    given = [key for key in ("role", "team", "team_file") if getattr(entry, key) is not None]
    if len(given) == 1:
        return
    if not given:
        raise Problem(
            ("roles", index),
            f"{entry.name} needs role (what it does, in a sentence), team (a built-in team) "
            "or team_file (another team file)",
        )
    raise Problem(
        ("roles", index, given[1]),
        f"{entry.name} has {' and '.join(given)}: give it only one of role, team, team_file",
    )


def _names(team: TeamFile) -> None:
    seen: set[str] = set()
    named: list[tuple[Path, str]] = [
        (("roles", i, "name"), r.name) for i, r in enumerate(team.roles)
    ]
    if team.aggregator is not None:
        named.append((("aggregator", "name"), team.aggregator.name))
    for path, name in named:
        if name in RESERVED:
            raise Problem(path, f"{name!r} is a name the team uses itself: call the role otherwise")
        if name in seen:
            raise Problem(path, f"two roles are named {name!r}: give each role its own name")
        seen.add(name)


def _only_words(team: TeamFile, index: int, what: str) -> None:
    entry = team.roles[index]
    if entry.kind != "plain":
        raise Problem(
            ("roles", index),
            f"the {what} ({entry.name}) decides in a set format, so it needs role text "
            "and no tools, team or team_file",
        )


def _sequential(team: TeamFile) -> None:
    """Any roles, one after the other."""


def _broadcast(team: TeamFile) -> None:
    if team.aggregate is None:
        raise Problem(("shape",), "a broadcast team needs aggregate: vote or merge")
    if team.aggregate == "merge" and team.aggregator is None:
        raise Problem(
            ("aggregate",), "merge needs an aggregator (name and role) to write the one answer"
        )
    if team.aggregate == "vote":
        for index, entry in enumerate(team.roles):
            if entry.kind != "plain":
                raise Problem(
                    ("roles", index),
                    f"a vote compares short answers, so {entry.name} needs role text and no "
                    "tools, team or team_file (or use aggregate: merge)",
                )


def _supervisor(team: TeamFile) -> None:
    if len(team.roles) < 2:
        raise Problem(("roles",), "a supervisor team needs a manager (the first role) and roles")
    _only_words(team, 0, "manager")


def _reflection(team: TeamFile) -> None:
    if len(team.roles) != 2:
        raise Problem(
            ("roles",), "a reflection team has two roles: the first works, the second reviews"
        )
    _only_words(team, 1, "reviewer")


def _no_aggregation(team: TeamFile) -> None:
    for key in ("aggregate", "aggregator"):
        if getattr(team, key) is not None:
            raise Problem((key,), f"{key} is for broadcast teams only")
    for index, entry in enumerate(team.roles):
        if entry.samples != 1:
            raise Problem(("roles", index, "samples"), "samples is for broadcast teams only")


SHAPE_RULES: dict[str, Callable[[TeamFile], None]] = {
    "sequential": _sequential,
    "broadcast": _broadcast,
    "supervisor": _supervisor,
    "reflection": _reflection,
}
