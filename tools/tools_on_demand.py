"""Tools resolved on first use, so building a graph opens no store and reads no corpus."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from langchain_core.tools import BaseTool


class ToolsOnDemand:
    """The given tools, or the configured toolbox built the first time they are needed."""

    def __init__(
        self,
        tools: Sequence[BaseTool] | None,
        load: Callable[[], list[BaseTool]] | None = None,
    ) -> None:
        """``None`` means the tools ``load`` gives, by default the project's tools.

        The project's tools (``tools.toolbox.configured_tools``) are those
        ``TEAMGRAPH_TOOLS`` / ``TEAMGRAPH_MCP`` or the project file name, else the default
        toolbox (``tools.built_in_tools.default_toolbox``).
        """
        self._tools = list(tools) if tools is not None else None
        self._load = load
        self._lock = threading.Lock()

    def __call__(self) -> list[BaseTool]:
        """The tools (the configured toolbox is built once, on the first call)."""
        if self._tools is None:
            with self._lock:
                if self._tools is None:
                    from tools.toolbox import configured_tools

                    self._tools = (self._load or configured_tools)()
        return self._tools

    @property
    def given(self) -> list[BaseTool] | None:
        """The explicitly given tools, or None when the configured toolbox will be used."""
        return self._tools


ToolSource = Callable[[], list[BaseTool]]
