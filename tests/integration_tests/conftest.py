import pytest
from pytest_socket import socket_allow_hosts

from tests.embedded import SMALL_MODEL


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration_tests" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _small_embedded_model(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every role runs on the 135M model, unless the test is marked ``default_model``."""
    if "default_model" not in request.keywords:
        monkeypatch.setenv("TEAMGRAPH_MODEL", SMALL_MODEL)


@pytest.fixture(autouse=True)
def _loopback_only() -> None:
    """Integration tests reach the embedded model on loopback and nothing else."""
    socket_allow_hosts(["127.0.0.1", "localhost"], allow_unix_socket=True)
