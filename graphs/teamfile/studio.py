"""Team files as Studio serves them: a graph factory for each team file the project lists.

``langgraph.json`` (written by ``python -m graphs.registry``) names each team file of the
project file's ``[teams] files`` as ``./graphs/teamfile/studio.py:team_file_<name>``;
Studio calls that factory, which reads the file and builds its team with the
env/default models (checked when a run calls them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from graphs.common.server_factory import Served, built_for_server
from graphs.teamfile.builder import Graph
from graphs.teamfile.reading import load_team_file
from graphs.teamfile.spec import load_team
from tools.kernel.config import project_config

STUDIO_MODULE = "./graphs/teamfile/studio.py"


def factory_name(team: str) -> str:
    """The name of the factory of team ``team`` in this module."""
    return "team_file_" + team.replace("-", "_")


def studio_entries(paths: Sequence[Path]) -> dict[str, str]:
    """``langgraph.json`` graph entries for the team files at ``paths`` (each read and checked)."""
    names = [load_team_file(path).definition.name for path in paths]
    return {name: f"{STUDIO_MODULE}:{factory_name(name)}" for name in names}


def factory(path: Path) -> Callable[[], Served[Graph]]:
    """A graph factory of the team file at ``path``, read again at each call.

    On a server's event loop the file is read and built in a worker thread (see
    ``server_factory``).
    """

    def make_graph() -> Served[Graph]:
        return built_for_server(lambda: load_team(path, check_models=False))

    make_graph.__name__ = make_graph.__qualname__ = factory_name(
        load_team_file(path).definition.name
    )
    return make_graph


for _path in project_config().team_files:
    _made = factory(_path)
    globals()[_made.__name__] = _made
