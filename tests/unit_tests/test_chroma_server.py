"""The knowledge base on a Chroma server: chosen by TEAMGRAPH_CHROMA_URL, checked, masked.

Ingestion and retrieval against a real ``chroma run`` are in
tests/integration_tests/test_chroma_server.py.
"""

import base64

import pytest

from tools import chroma_server, knowledge_store
from tools.chroma_server import CHROMA_URL_ENV, server_client
from tools.kernel.errors import InputError


@pytest.mark.parametrize(
    "url", ["ftp://ann:secret@vectors:8000", "vectors:8000", "http://:secret@:8000"]
)
def test_a_url_that_is_not_http_is_refused_without_its_password(url):
    with pytest.raises(InputError, match="must be an http:// or https:// URL") as raised:
        server_client(url)
    assert "secret" not in str(raised.value)


def test_the_env_url_picks_the_server_and_home_still_picks_the_folder(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(knowledge_store, "server_client", lambda url: opened.append(url) or url)
    monkeypatch.setenv(CHROMA_URL_ENV, "http://vectors:8000")
    assert knowledge_store.open_client() == "http://vectors:8000"
    assert type(knowledge_store.open_client(tmp_path)).__name__ == "Client"
    monkeypatch.delenv(CHROMA_URL_ENV)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path))
    assert type(knowledge_store.open_client()).__name__ == "Client"
    assert opened == ["http://vectors:8000"]


def test_a_user_and_password_in_the_url_become_basic_authentication():
    headers = chroma_server._headers("ann", "p%40ss")
    assert headers == {"Authorization": "Basic " + base64.b64encode(b"ann:p@ss").decode()}
    assert chroma_server._headers(None, None) is None
