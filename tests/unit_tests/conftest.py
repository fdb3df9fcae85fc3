import pytest
from pytest_socket import disable_socket


@pytest.fixture(autouse=True)
def _no_network() -> None:
    """Unit tests never open a network socket (unix sockets for the event loop are fine)."""
    disable_socket(allow_unix_socket=True)


@pytest.fixture(autouse=True)
def _clean_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Model settings from the developer's shell never leak into unit tests."""
    import os

    for name in list(os.environ):
        if name.startswith("TEAMGRAPH_") or name in {"OPENAI_API_KEY", "OPENAI_BASE_URL"}:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def minilm():
    """The real offline embedding model, loaded once."""
    from tools.embeddings import MiniLMEmbeddings

    return MiniLMEmbeddings()


@pytest.fixture
def store(tmp_path, minilm):
    """An empty knowledge-base collection in a temporary TEAMGRAPH_HOME."""
    from tools.knowledge_store import KnowledgeStore

    return KnowledgeStore("docs", home=tmp_path / "home", embeddings=minilm)


@pytest.fixture(autouse=True)
def _no_retry_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Transient failures are still tried again, without waiting."""
    import agents.llm.calls

    monkeypatch.setattr(agents.llm.calls, "RETRY_PAUSES_S", (0.0, 0.0))


@pytest.fixture(autouse=True)
def _no_model_server_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """An embedded model server left running on this machine is never asked over HTTP.

    Its record and lock are found beside the installed model, shared by every run here;
    a unit test (`doctor`) would otherwise try a loopback request, and its outcome would
    depend on what else runs on the machine.
    """
    from agents.llm import local_server

    monkeypatch.setattr(local_server.LOCAL_SERVER, "_probe", lambda url: False)
