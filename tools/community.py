"""Tools of the LangChain community catalogue, asked for by name (``arxiv``, ``pubmed``, ...).

Names are those of ``langchain_community``'s ``load_tools`` plus a few tool classes it
does not list (``wikidata``). A tool whose package is missing is refused with the
``pip install`` to run; a tool whose key is missing stays in the toolbox and answers
every call by naming the key, so the run goes on. Community tools go online: with
``TEAMGRAPH_OFFLINE=1`` the runner does not call them at all.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Callable
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, ToolException

from tools.kernel.errors import InputError
from tools.tool_addressing import mark

ORIGIN = "langchain-community"
SEARCH_TOOLS = frozenset(
    {
        "arxiv",
        "pubmed",
        "wikidata",
        "ddg-search",
        "google-serper",
        "google-scholar",
        "serpapi",
        "searchapi",
        "searx-search",
        "bing-search",
        "stackexchange",
        "metaphor-search",
    }
)
"""Catalogue tools that look things up: marked as retrieval tools (citable, searched first)."""
LOCAL_TOOLS = frozenset({"sleep", "read_file"})
"""Catalogue tools that stay on this machine."""
REFUSED = {
    "human": "it waits for someone to type an answer on the terminal",
    "terminal": "it runs shell commands the model writes",
    **dict.fromkeys(
        ("requests", "requests_get", "requests_post", "requests_put", "requests_patch",
         "requests_delete"),
        "it sends any web request the model writes",
    ),
    **dict.fromkeys(
        ("llm-math", "open-meteo-api", "memorize", "news-api", "podcast-api", "tmdb-api"),
        "it needs a chat model of its own",
    ),
}  # fmt: skip
KEY_IN_MESSAGE = re.compile(r"environment variable `?([A-Z][A-Z0-9_]{2,})`?")


def _wikidata() -> list[BaseTool]:
    from langchain_community.tools.wikidata.tool import WikidataQueryRun
    from langchain_community.utilities.wikidata import WikidataAPIWrapper

    return [WikidataQueryRun(api_wrapper=WikidataAPIWrapper())]  # type: ignore[call-arg]


EXTRA: dict[str, Callable[[], list[BaseTool]]] = {"wikidata": _wikidata}


def _catalogue_module() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module("langchain_community.agent_toolkits.load_tools")


def community_names() -> list[str]:
    """Every name the catalogue answers to, sorted."""
    catalogue = _catalogue_module()
    shadowed = {"wikipedia"}  # the built-in tool of that name wins
    return sorted({*catalogue.get_all_tool_names(), *EXTRA} - set(REFUSED) - shadowed)


def is_catalogue_name(name: str) -> bool:
    """Whether ``name`` is one of the catalogue's (offered or refused)."""
    return name in REFUSED or name in community_names()


def unavailable_tool(name: str, reason: str) -> BaseTool:
    """A stand-in for tool ``name`` that answers every call with why it cannot work.

    Each answer is a failed call (``status="error"``), so a team tells it from results.
    """

    def explain(query: str = "") -> str:
        raise ToolException(f"unavailable: {reason}")

    stand_in = StructuredTool.from_function(
        explain,
        name=name.replace("-", "_"),
        description=f"{name} (unavailable: {reason})",
        handle_tool_error=True,
    )
    return mark(stand_in, origin=f"{ORIGIN} ({name}, unavailable)")


def _build(name: str) -> list[BaseTool]:
    if name in EXTRA:
        return EXTRA[name]()
    return list(_catalogue_module().load_tools([name]))


def load_community_tool(name: str) -> tuple[list[BaseTool], list[str]]:
    """The catalogue's tool ``name`` and notes about it; InputError if it cannot be had."""
    if name in REFUSED:
        raise InputError(
            f"Tool {name!r} is not offered: {REFUSED[name]}. Build it in Python and pass "
            "it with --tools module:attr if you mean it."
        )
    try:
        built = _build(name)
    except ImportError as error:
        raise InputError(f"Tool {name!r} needs a package that is not installed: {error}") from None
    except Exception as error:
        key = KEY_IN_MESSAGE.search(str(error))
        if key is None:
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise InputError(
                f"Tool {name!r} cannot be loaded ({type(error).__name__}: {first}); build it in "
                "Python and pass it with --tools module:attr."
            ) from None
        reason = f"{name} needs an API key: set {key.group(1)}"
        return [unavailable_tool(name, reason)], [f"{name} is unavailable: set {key.group(1)}."]
    for tool in built:
        mark(
            tool,
            origin=f"{ORIGIN} ({name})",
            network=name not in LOCAL_TOOLS,
            retrieval=name in SEARCH_TOOLS,
        )
    return built, []
