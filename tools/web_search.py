"""The ``web_search`` tool: Tavily web search (needs ``TAVILY_API_KEY``)."""

from __future__ import annotations

import os
from typing import Any

from langchain_core.tools import BaseTool, ToolException, tool

from tools.kernel.offline import OFFLINE_ENV, is_offline
from tools.sources import Source

KEY_ENV = "TAVILY_API_KEY"
TIMEOUT_S = 10.0
RESULTS = 5
SNIPPET_CHARS = 600


def web_search_key() -> str | None:
    """The Tavily API key, or None when web search is not configured."""
    return os.environ.get(KEY_ENV, "").strip() or None


SAID_BY_NAME = {
    "InvalidAPIKeyError": f"Tavily refused the key in {KEY_ENV}",
    "MissingAPIKeyError": f"Tavily wants a key: set {KEY_ENV}",
    "UsageLimitExceededError": "the Tavily plan's usage limit is reached",
    "TimeoutError": f"Tavily gave no answer within {TIMEOUT_S:g} s",
}


def failure(error: Exception) -> str:
    """Why a search failed, in words: the key, the limit, the network, else the error."""
    from requests import ConnectionError as Unreachable

    name = type(error).__name__
    if name in SAID_BY_NAME:
        return SAID_BY_NAME[name]
    if isinstance(error, Unreachable):
        return "cannot reach api.tavily.com: check the network"
    return f"{name}: {error}"


def make_web_search_tool(client: Any = None) -> BaseTool:
    """The ``web_search`` tool; ``client`` defaults to a TavilyClient with the env key.

    A search that cannot be made answers with one ``unavailable: ...`` line marked as a
    failed call (``status="error"``), so a team can tell it from results.
    """
    if client is None:
        from tavily import TavilyClient

        client = TavilyClient(api_key=web_search_key())

    @tool(response_format="content_and_artifact")
    def web_search(query: str) -> tuple[str, list[Source]]:
        """Search the web for current information (news, prices, recent events).

        Give a focused search query. Returns the top results with titles, URLs and
        content snippets.
        """
        if is_offline():
            raise ToolException(f"unavailable: web search is off while {OFFLINE_ENV} is set.")
        try:
            response = client.search(query, max_results=RESULTS, timeout=TIMEOUT_S)
        except Exception as error:
            raise ToolException(f"unavailable: web search failed ({failure(error)})") from error
        sources = [
            Source(
                kind="web",
                title=str(result.get("title") or result.get("url")),
                url=str(result.get("url", "")),
                origin="Tavily",
                snippet=str(result.get("content", ""))[:SNIPPET_CHARS],
            )
            for result in response.get("results", [])
        ]
        if not sources:
            return f"No web results for {query!r}.", []
        body = "\n\n".join(
            f"{s['title']} ({s.get('url', '')}):\n{s.get('snippet', '')}" for s in sources
        )
        return body, sources

    web_search.handle_tool_error = True
    return web_search
