"""Measuring whether a team beats a single model call on real questions."""
