"""Read a team file: YAML, checked key by key and rule by rule, its team files inside loaded too.

Every problem is one :class:`TeamFileError` line naming the file, the line and the key
(``team.yaml:12: roles[1].tools: no tool named 'wikipdia' ...``), raised before any
model is built or called.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from graphs.teamfile.rules import Problem, check_rules
from graphs.teamfile.schema import Aggregator, RoleEntry, TeamFile
from tools.kernel.errors import TeamFileError
from tools.kernel.spelling import did_you_mean

KeyPath = tuple[str | int, ...]
KEYS = {
    (): list(TeamFile.model_fields),
    ("roles",): list(RoleEntry.model_fields),
    ("aggregator",): list(Aggregator.model_fields),
}


@dataclass(frozen=True)
class LoadedTeam:
    """A team file read and checked, with the team files its roles are."""

    path: Path
    definition: TeamFile
    nested: Mapping[str, LoadedTeam] = field(default_factory=dict)
    """Role name -> the team file that plays it."""
    sha256: str = ""
    """Of this file's text and of every team file inside it (a change to any shows)."""


def key_name(path: KeyPath) -> str:
    """``("roles", 1, "tools")`` as ``roles[1].tools``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(the file)"


def _lines(node: yaml.Node, path: KeyPath, found: dict[KeyPath, int], where: Path) -> None:
    """Where each key and item of ``node`` starts (1-based); a key given twice is refused."""
    found.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            line = key.start_mark.line + 1
            if name in seen:
                raise _error(
                    where, line, path + (name,), f"is given twice (first on line {seen[name]})"
                )
            seen[name] = line
            found[path + (name,)] = line
            _lines(value, path + (name,), found, where)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, path + (index,), found, where)


def _line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def _error(where: Path, line: int, path: KeyPath, message: str) -> TeamFileError:
    return TeamFileError(f"{where}:{line}: {key_name(path)}: {message}")


def _unknown_key(path: KeyPath, key: str) -> str:
    known = KEYS.get(tuple(p for p in path if not isinstance(p, int)), [])
    return f"unknown key{did_you_mean(key, known)}: the keys here are {', '.join(known)}"


def _said(item: Mapping[str, Any]) -> str:
    """A Pydantic problem in words."""
    kind, path = item["type"], tuple(item["loc"])
    if kind == "extra_forbidden":
        return _unknown_key(path[:-1], str(path[-1]))
    if kind == "missing":
        return "is missing"
    if kind == "literal_error":
        return f"{item['input']!r} is not allowed: use {item['ctx']['expected']}"
    if kind == "list_type" and isinstance(item["input"], str):
        return f"takes a list: write [{item['input']}]"
    message = str(item["msg"])
    return message.removeprefix("Value error, ")


def _precedence(item: Mapping[str, Any], lines: Mapping[KeyPath, int]) -> tuple[bool, int]:
    """Report order: a missing key after any other problem (it is often misspelt), then by line."""
    return item["type"] == "missing", _line_of(lines, tuple(item["loc"]))


def _parse(where: Path, text: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise TeamFileError(f"{where}:{line}: the YAML cannot be read: {problem}") from None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _lines(node, (), lines, where)
    if not isinstance(data, dict):
        raise TeamFileError(
            f"{where}:1: the file must be a mapping with name, shape and roles "
            "(`teamgraph new NAME` writes an example)"
        )
    return data, lines


def _read_text(where: Path) -> str:
    try:
        return where.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TeamFileError(
            f"{where}: no such team file (`teamgraph new NAME` writes one)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise TeamFileError(f"{where}: the team file cannot be read: {error}") from None


def load_team_file(path: str | Path, _within: tuple[Path, ...] = ()) -> LoadedTeam:
    """The team file at ``path``, checked, with every team file inside it; TeamFileError if not."""
    where = Path(path).expanduser().resolve()
    text = _read_text(where)
    data, lines = _parse(where, text)
    try:
        team = TeamFile.model_validate(data)
        check_rules(team)
    except ValidationError as error:
        first = min(error.errors(), key=lambda item: _precedence(item, lines))
        at = tuple(first["loc"])
        raise _error(where, _line_of(lines, at), at, _said(first)) from None
    except Problem as problem:
        raise _error(where, _line_of(lines, problem.path), problem.path, problem.message) from None
    nested: dict[str, LoadedTeam] = {}
    digest = hashlib.sha256(text.encode())
    for index, entry in enumerate(team.roles):
        if entry.team_file is None:
            continue
        inner = (where.parent / entry.team_file).resolve()
        at = ("roles", index, "team_file")
        if inner in (*_within, where):
            chain = " -> ".join(p.name for p in (*_within, where, inner))
            raise _error(where, _line_of(lines, at), at, f"a team cannot contain itself ({chain})")
        if not inner.is_file():
            raise _error(where, _line_of(lines, at), at, f"no such team file {inner}")
        nested[entry.name] = load_team_file(inner, (*_within, where))
        digest.update(nested[entry.name].sha256.encode())
    return LoadedTeam(where, team, nested, digest.hexdigest())
