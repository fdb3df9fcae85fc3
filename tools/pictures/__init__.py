"""Pictures read safely and measured in code: light, colour, warmth, texture (no model)."""
