"""The teams, one LangGraph state machine per module."""

TEAMS: dict[str, str] = {
    "writer": "Manager plans, Writer drafts, Critic reviews until approved or capped, "
    "Manager judges the whole.",
    "research": "Decider chooses to answer at once or plan; Planner makes a dependency graph "
    "of sub-tasks; Executors run independent ones in parallel; Finalizer answers with "
    "numbered citations.",
    "team": "The Manager routes a request to research, writer or react, or chains them "
    "(e.g. research then writer).",
    "react": "One agent thinks, calls a tool, observes and repeats, then answers with "
    "numbered citations.",
}
"""Team name (module ``graphs.<name>``) -> one-line description."""
