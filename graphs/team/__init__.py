"""The team of teams: the Manager routes a request to the teams it needs, chaining them."""

from graphs.common.exports import team_exports

EXPORTS = {
    "spec": ("SPEC", "report"),
    "settings": ("ROLES", "TeamSettings"),
    "state": ("TeamInput", "TeamOutput", "TeamState"),
    "nodes": ("handoff",),
    "roster": ("members",),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names] + ["build_graph", "graph"]
__getattr__ = team_exports(__name__, EXPORTS, default_graph="studio_graph")
