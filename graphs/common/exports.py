"""A package's lazy attributes: each loads from its module on first use, not at import.

Importing ``graphs.<team>``, ``graphs.threads`` or ``graphs.teamfile`` (or one of their
light modules, such as a team's settings) then costs next to nothing, so checking a
command's arguments or listing the teams' names loads neither LangGraph nor a team's
state, models and tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def package_exports(package: str, exports: Mapping[str, Iterable[str]]) -> Callable[[str], Any]:
    """``package``'s ``__getattr__``: each name ``exports`` lists, from its module.

    ``exports`` maps a module of the package to the names it gives the package. Any other
    name is an AttributeError, so ``from package import submodule`` still imports the
    submodule.
    """
    home = {name: module for module, names in exports.items() for name in names}

    def attribute(name: str) -> Any:
        if name in home:
            return getattr(import_module(f"{package}.{home[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute


def team_exports(
    package: str, exports: Mapping[str, Iterable[str]], default_graph: str = "default_graph"
) -> Callable[[str], Any]:
    """A team package's ``__getattr__``: as :func:`package_exports`, and its graph.

    ``build_graph`` comes from the package's builder; ``graph`` (the team with the
    env/default models, as Studio serves it) is built once by the builder's
    ``default_graph`` (or the function named so), at once even in a notebook's event loop.
    """
    named = package_exports(package, exports)
    built: list[Any] = []

    def attribute(name: str) -> Any:
        if name == "build_graph":
            return import_module(f"{package}.builder").build_graph
        if name == "graph":
            if not built:
                built.append(getattr(import_module(f"{package}.builder"), default_graph)())
            return built[0]
        return named(name)

    return attribute
