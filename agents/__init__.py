"""The team's roles: prompts, node functions, models and structured decisions."""
