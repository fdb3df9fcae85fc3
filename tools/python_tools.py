"""Tools named by an import path, ``package.module:attr``: a tool, a list, or a factory."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool

from tools.kernel.errors import InputError
from tools.tool_addressing import ORIGIN, mark


def _import(module_name: str, spec: str) -> Any:
    here = os.getcwd()
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise InputError(
            f"Cannot import {module_name!r} for --tools {spec} ({error}): install it, or "
            "run from the folder that holds it."
        ) from None


def _resolve(value: Any, spec: str) -> Any:
    if isinstance(value, BaseTool) or (
        isinstance(value, Sequence) and not isinstance(value, str | bytes)
    ):
        return value
    if not callable(value):
        raise InputError(f"{spec} is a {type(value).__name__}, not a tool, a list or a function.")
    required = [
        p
        for p in inspect.signature(value).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if required:
        raise InputError(
            f"{spec} is a function that needs arguments ({', '.join(p.name for p in required)}): "
            "decorate it with @tool, or point at a function that returns tools."
        )
    return value()


def load_python_tools(spec: str) -> list[BaseTool]:
    """The tools ``spec`` (``package.module:attr``) names; InputError saying what is wrong."""
    module_name, _, path = spec.partition(":")
    if not module_name or not path:
        raise InputError(f"--tools {spec!r}: write package.module:attr, e.g. mytools:search.")
    value: Any = _import(module_name, spec)
    for part in path.split("."):
        if not hasattr(value, part):
            raise InputError(f"{spec}: {module_name} has no attribute {path!r}.")
        value = getattr(value, part)
    found = _resolve(value, spec)
    tools = [found] if isinstance(found, BaseTool) else list(found)
    wrong = [type(t).__name__ for t in tools if not isinstance(t, BaseTool)]
    if wrong or not tools:
        raise InputError(
            f"{spec} gave {', '.join(wrong) or 'no tools'}: it must give LangChain tools "
            "(a @tool function, a BaseTool, or a list of them)."
        )
    for tool in tools:
        if ORIGIN not in (tool.metadata or {}):
            mark(tool, origin=f"python {spec}")
    return tools
