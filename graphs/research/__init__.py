"""The research team: decide, plan sub-tasks with dependencies, run them in parallel, answer."""

from graphs.common.exports import team_exports

EXPORTS = {
    "spec": ("SPEC", "report"),
    "settings": (
        "DEFAULT_MAX_CONCURRENCY",
        "DEFAULT_MAX_REPLANS",
        "DEFAULT_MAX_TASKS",
        "ROLES",
        "ResearchSettings",
    ),
    "state": ("ResearchInput", "ResearchState", "TaskRecord"),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names] + ["build_graph", "graph"]
__getattr__ = team_exports(__name__, EXPORTS)
