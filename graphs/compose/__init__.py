"""The compose team: a picture is described, set as a musical brief, composed and rendered."""

from graphs.common.exports import team_exports

EXPORTS = {
    "spec": ("SPEC", "make_input", "read_result", "report", "score_summary"),
    "settings": ("ComposeSettings", "DEFAULT_SECONDS", "ROLES"),
    "state": ("ComposeInput", "ComposeState"),
}
"""Each module of the package that gives it names, with those names (loaded on first use)."""

__all__ = [name for names in EXPORTS.values() for name in names] + ["build_graph", "graph"]
__getattr__ = team_exports(__name__, EXPORTS)
