"""The ReAct team: one agent thinks, calls a tool, observes, repeats, then answers."""

from graphs.common.exports import team_exports

EXPORTS = {
    "spec": ("SPEC", "report"),
    "settings": ("DEFAULT_MAX_STEPS", "ROLES", "ReactSettings"),
    "state": ("ReactInput", "ReactState"),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names] + ["build_graph", "graph"]
__getattr__ = team_exports(__name__, EXPORTS)
