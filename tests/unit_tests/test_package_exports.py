"""A package's lazy names are the functions and classes its docs name, whatever is loaded.

A submodule, once imported, is an attribute of its package, found before the package's
``__getattr__``: an exported name that is also a submodule's name would then be the module.
"""

import importlib
import inspect
import pkgutil

import pytest

PACKAGES = [
    "graphs.threads",
    "graphs.teamfile",
    "graphs.writer",
    "graphs.research",
    "graphs.react",
    "graphs.team",
    "graphs.support",
    "graphs.compose",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_no_exported_name_turns_into_a_module_once_every_submodule_is_imported(name):
    package = importlib.import_module(name)
    for submodule in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{name}.{submodule.name}")
    exported = {attribute: getattr(package, attribute) for attribute in package.__all__}
    exported.pop("graph", None)
    assert [attr for attr, value in exported.items() if inspect.ismodule(value)] == []


def test_the_thread_history_of_the_readme_is_the_function():
    importlib.import_module("graphs.threads.listing")
    from graphs.threads import history

    assert callable(history) and not inspect.ismodule(history)
