"""How the research executor and the ReAct agent reach their tools: the settings' choices.

Kept apart from the roles so that a team's settings are read without loading them.
"""

from __future__ import annotations

from typing import Literal

ToolPolicy = Literal["auto", "native", "model", "search"]
"""The research executor: pick by the model, native tool calls, the model's choice, search first."""
ToolMode = Literal["auto", "native", "structured"]
"""The ReAct agent: pick by the model, native tool calls, or JSON-constrained steps."""
DEFAULT_CONTEXT_CHARS = 1500
"""Characters of dependency results a research task's prompt holds by default."""
