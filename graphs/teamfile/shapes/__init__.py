"""The four shapes a team file may have, each wiring the roles into the team's graph."""

from typing import get_args

from graphs.teamfile.schema import Shape

SHAPES: tuple[str, ...] = get_args(Shape)
