"""The teams, one LangGraph state machine per package; ``graphs.registry`` lists them."""
