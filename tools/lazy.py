"""Tools resolved on first use, so building a graph opens no store and reads no corpus."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from langchain_core.tools import BaseTool


class ToolsOnDemand:
    """The given tools, or the default toolbox built the first time they are needed."""

    def __init__(self, tools: Sequence[BaseTool] | None) -> None:
        """``None`` means the default toolbox (``tools.registry.default_toolbox``)."""
        self._tools = list(tools) if tools is not None else None
        self._lock = threading.Lock()

    def __call__(self) -> list[BaseTool]:
        """The tools (the default toolbox is built once, on the first call)."""
        if self._tools is None:
            with self._lock:
                if self._tools is None:
                    from tools.registry import default_toolbox

                    self._tools = default_toolbox().tools
        return self._tools

    @property
    def given(self) -> list[BaseTool] | None:
        """The explicitly given tools, or None when the default toolbox will be used."""
        return self._tools


ToolSource = Callable[[], list[BaseTool]]
