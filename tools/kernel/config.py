"""Project configuration: ``teamgraph.toml``, or ``[tool.teamgraph]`` in ``pyproject.toml``.

The file sets models per role, tools, MCP servers, limits and the collection::

    tools = ["default", "arxiv", "mytools:search"]
    mcp = "mcp.json"               # an MCP servers file, relative to this file
    collection = "notes"

    [models]
    default = "openai:gpt-4o-mini" # every role without its own line
    critic = "local"

    [limits]
    max_calls = 60
    max_tokens_total = 50000
    tool_timeout_s = 30

    [mcpServers.notes]             # servers may also be written here
    command = "python"
    args = ["notes_server.py"]

    [teams]                        # team files Studio serves (langgraph.json)
    files = ["teams/launch-brief.yaml"]

For every setting the first that is set wins: command-line flag > environment variable
(``TEAMGRAPH_TOOLS``, ``TEAMGRAPH_MODEL``, ...) > this file > the default. The file is
found at ``TEAMGRAPH_CONFIG``, else ``./teamgraph.toml``, else ``./pyproject.toml``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.kernel.errors import InputError

CONFIG_ENV = "TEAMGRAPH_CONFIG"
FILE_NAME = "teamgraph.toml"
TOP_KEYS = ("tools", "mcp", "collection", "models", "limits", "mcpServers", "teams")
LIMIT_KEYS = ("max_calls", "max_tokens_total", "tool_timeout_s")


class ConfigError(InputError):
    """The project configuration (file or environment) cannot be used."""


def _names(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError("must be a list of names")
    return [i.strip() for i in items if i.strip()]


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be a whole number")
    try:
        number = int(value)
    except ValueError:
        raise ValueError("must be a whole number") from None
    if number < 1:
        raise ValueError("must be 1 or more")
    return number


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("must be a number of seconds")
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if number <= 0:
        raise ValueError("must be more than 0")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


@dataclass(frozen=True)
class Setting:
    """A setting the file and the environment may give: its env var and its parser."""

    env: str
    parse: Callable[[Any], Any]
    key: str
    """Where it sits in the file (``limits.max_calls``)."""


SETTINGS: dict[str, Setting] = {
    "tools": Setting("TEAMGRAPH_TOOLS", _names, "tools"),
    "mcp": Setting("TEAMGRAPH_MCP", _text, "mcp"),
    "collection": Setting("TEAMGRAPH_COLLECTION", _text, "collection"),
    "max_calls": Setting("TEAMGRAPH_MAX_CALLS", _count, "limits.max_calls"),
    "max_tokens_total": Setting("TEAMGRAPH_MAX_TOKENS_TOTAL", _count, "limits.max_tokens_total"),
    "tool_timeout_s": Setting("TEAMGRAPH_TOOL_TIMEOUT_S", _seconds, "limits.tool_timeout_s"),
}


@dataclass(frozen=True)
class ProjectConfig:
    """What the project file says (empty without one); ``error`` if it cannot be used."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    """Role (or ``default``) -> model string."""
    mcp_servers: dict[str, Any] = field(default_factory=dict)
    """Servers written in the file itself (``[mcpServers.NAME]``), not yet checked."""
    team_files: list[Path] = field(default_factory=list)
    """The team files of ``[teams] files``, relative paths resolved against the file."""
    error: str | None = None

    def check(self) -> ProjectConfig:
        """This config; ConfigError if the file could not be used."""
        if self.error:
            raise ConfigError(self.error)
        return self


@dataclass(frozen=True)
class Resolved:
    """A setting's value and its source: ``flag``, ``env NAME``, ``file PATH`` or ``default``."""

    value: Any
    source: str


def config_path() -> Path | None:
    """The project file in use, if there is one."""
    given = os.environ.get(CONFIG_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    for candidate in (Path(FILE_NAME), Path("pyproject.toml")):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _section(path: Path) -> Mapping[str, Any] | None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("teamgraph")
    return data


def _parse(path: Path, section: Mapping[str, Any]) -> ProjectConfig:
    unknown = sorted(set(section) - set(TOP_KEYS))
    if unknown:
        raise ValueError(f"{unknown[0]} is not a known key (known: {', '.join(TOP_KEYS)})")
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        table, _, key = setting.key.rpartition(".")
        holder = section.get(table, {}) if table else section
        if not isinstance(holder, Mapping):
            raise ValueError(f"{table} must be a table")
        if key in holder:
            try:
                values[name] = setting.parse(holder[key])
            except ValueError as error:
                raise ValueError(f"{setting.key} {error}") from None
    extra = sorted(set(section.get("limits", {})) - set(LIMIT_KEYS))
    if extra:
        raise ValueError(f"limits.{extra[0]} is not a known limit ({', '.join(LIMIT_KEYS)})")
    if "mcp" in values:
        values["mcp"] = str((path.parent / values["mcp"]).resolve())
    models = section.get("models", {})
    if not isinstance(models, Mapping) or not all(isinstance(v, str) for v in models.values()):
        raise ValueError('models must be a table of role = "provider:model" lines')
    servers = section.get("mcpServers", {})
    if not isinstance(servers, Mapping):
        raise ValueError("mcpServers must be a table of servers")
    return ProjectConfig(
        path,
        values,
        {str(k): v.strip() for k, v in models.items()},
        dict(servers),
        _team_files(path, section.get("teams", {})),
    )


def _team_files(path: Path, teams: Any) -> list[Path]:
    """``[teams] files = [...]``: the team files, resolved against the project file's folder."""
    if not isinstance(teams, Mapping) or set(teams) - {"files"}:
        raise ValueError('teams must be a table with one key, files = ["team.yaml", ...]')
    try:
        names = _names(teams.get("files", []))
    except ValueError:
        raise ValueError("teams.files must be a list of team file paths") from None
    return [(path.parent / name).resolve() for name in names]


def read_config(path: Path | None) -> ProjectConfig:
    """The configuration in ``path`` (never raises: a problem is kept in ``error``)."""
    if path is None:
        return ProjectConfig()
    try:
        section = _section(path)
        return ProjectConfig() if section is None else _parse(path, section)
    except OSError as error:
        return ProjectConfig(path, error=f"Cannot read the project file {path}: {error.strerror}.")
    except (tomllib.TOMLDecodeError, ValueError) as error:
        return ProjectConfig(
            path, error=f"The project file {path} cannot be used: {error}. Fix it or move it aside."
        )


_cache: dict[tuple[str, float], ProjectConfig] = {}


def project_config() -> ProjectConfig:
    """The project configuration in use (read again when the file changes)."""
    path = config_path()
    if path is None:
        return ProjectConfig()
    try:
        stamp = (str(path), path.stat().st_mtime)
    except OSError:
        return read_config(path)
    if stamp not in _cache:
        _cache[stamp] = read_config(path)
    return _cache[stamp]


def resolve(name: str, flag: Any = None, default: Any = None) -> Resolved:
    """Setting ``name``: the flag if given, else its env var, else the file, else ``default``."""
    setting = SETTINGS[name]
    if flag is not None:
        return Resolved(flag, "flag")
    raw = os.environ.get(setting.env, "").strip()
    if raw:
        try:
            return Resolved(setting.parse(raw), f"env {setting.env}")
        except ValueError as error:
            raise ConfigError(f"{setting.env}={raw!r} {error}; fix or unset it.") from None
    config = project_config().check()
    if name in config.values:
        return Resolved(config.values[name], f"file {config.path}")
    return Resolved(default, "default")


def file_model(role: str) -> Resolved | None:
    """The model the project file gives ``role`` (its own line, else ``default``), if any."""
    config = project_config()
    if config.error:
        return None
    for key in (role, "default"):
        if config.models.get(key):
            return Resolved(config.models[key], f"file {config.path} [models] {key}")
    return None
