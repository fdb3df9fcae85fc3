"""The teams, one LangGraph state machine per module."""

TEAMS: dict[str, str] = {
    "writer": "Manager plans, Writer drafts, Critic reviews until approved or capped, "
    "Manager judges the whole.",
}
"""Team name (module ``graphs.<name>``) -> one-line description."""
