"""The writer team: a Manager, a Writer and a Critic write a short piece."""

from graphs.common.exports import team_exports

EXPORTS = {
    "spec": ("SPEC", "make_input", "read_result", "report"),
    "settings": ("DEFAULT_MAX_REVISIONS", "ROLES", "WriterSettings"),
    "state": ("WriterInput", "WriterState"),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names] + ["build_graph", "graph"]
__getattr__ = team_exports(__name__, EXPORTS)
