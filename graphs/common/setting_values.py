"""What a settings object may hold: its names, and a value of the type each one is declared.

A run's settings come from Python (``build_graph(**settings)``, ``invoke(context=...)``)
and from JSON (Studio, an Agent Protocol server), where nothing checks their types. A
misspelt name (from Python: ``langgraph dev`` drops a key its schema lacks) or a number
sent as text would otherwise end in Python's own error, or in one from deep inside the
run. These checks make each one a line naming the setting.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Iterable
from typing import Any, Literal

from tools.kernel.spelling import with_closest


def unknown_names_error(schema: type, given: Iterable[str]) -> TypeError | None:
    """The error for names in ``given`` that are no field of ``schema``, or None."""
    names = [f.name for f in dataclasses.fields(schema)]
    unknown = sorted(set(given) - set(names))
    if not unknown:
        return None
    meant = with_closest(unknown, names)
    return TypeError(
        f"{schema.__name__} has no setting {', '.join(meant)}; its settings are {', '.join(names)}."
    )


def check_values(settings: Any) -> None:
    """Raise TypeError naming the first field of ``settings`` whose value is not its type."""
    hints = declared_types(settings.__class__)
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        wanted = describe_mismatch(value, hints[field.name])
        if wanted is not None:
            raise TypeError(f"{field.name} must be {wanted}, not {value!r}.")


@functools.cache
def declared_types(schema: type) -> dict[str, Any]:
    """Each field's declared type, its annotations evaluated once per class."""
    return typing.get_type_hints(schema)


def describe_mismatch(value: object, declared: Any) -> str | None:
    """What ``declared`` asks for, in words, if ``value`` is not one; None if it is.

    Known are whole numbers, numbers, true/false, text, a choice of words and any of
    these or none; a value of any other declared type is taken as it is.
    """
    options = _options(declared)
    if options is None:
        return None
    if any(_is(value, option) for option in options):
        return None
    return " or ".join(_wanted(option) for option in options)


def _options(declared: Any) -> list[Any] | None:
    """The plain types or word choices ``declared`` allows, or None if it is another type."""
    origin = typing.get_origin(declared)
    if origin is typing.Union or origin is types.UnionType:
        parts = [_options(part) for part in typing.get_args(declared)]
        if any(part is None for part in parts):
            return None
        return [option for part in parts if part for option in part]
    if origin is Literal:
        return [typing.get_args(declared)]
    if declared in (int, float, bool, str, type(None)):
        return [declared]
    return None


def _is(value: object, option: Any) -> bool:
    """Whether ``value`` is of the plain type, or one of the words, ``option`` stands for."""
    if isinstance(option, tuple):
        return any(value == word and type(value) is type(word) for word in option)
    if option is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if option is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, option)


def _wanted(option: Any) -> str:
    """``option`` in words."""
    if isinstance(option, tuple):
        return "one of " + ", ".join(str(word) for word in option)
    return {
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        str: "text",
        type(None): "none",
    }[option]
