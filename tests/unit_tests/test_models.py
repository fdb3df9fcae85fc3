import pytest
from langchain_openai import ChatOpenAI

from agents.llm import models
from agents.llm.local_server import LocalModelServer
from agents.llm.models import (
    LOCAL,
    Provider,
    RoleModels,
    check_model_spec,
    choose_model,
    load_chat_model,
    split_spec,
)
from tests.fakes import scripted
from tools.kernel.errors import LocalModelError, ModelConfigError


def test_default_is_the_embedded_model():
    assert choose_model("writer") == LOCAL


def test_precedence_argument_over_role_env_over_team_env(monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_MODEL", "openai:team-wide")
    assert choose_model("critic") == "openai:team-wide"
    monkeypatch.setenv("TEAMGRAPH_CRITIC_MODEL", "openai:critic-only")
    assert choose_model("critic") == "openai:critic-only"
    assert choose_model("writer") == "openai:team-wide"
    assert choose_model("critic", "ollama:llama3.2") == "ollama:llama3.2"


def test_a_ready_chat_model_passes_through():
    model = scripted("hi")
    assert choose_model("writer", model) is model
    assert load_chat_model(model) is model


def test_split_keeps_colons_in_the_model_name():
    assert split_spec("ollama:llama3.2:1b") == ("ollama", "llama3.2:1b")


@pytest.mark.parametrize("spec", ["gpt-4o", "openai:", ":gpt-4o", ""])
def test_spec_without_provider_is_rejected(spec):
    with pytest.raises(ModelConfigError, match="provider:model"):
        check_model_spec(spec)


def test_unknown_provider_names_the_known_ones():
    with pytest.raises(ModelConfigError, match="Unknown model provider 'acme'.*openai"):
        check_model_spec("acme:model-1")


def test_missing_provider_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(
        models.PROVIDERS, "nosuch", Provider("langchain-nosuch", "langchain_nosuch_pkg", None)
    )
    with pytest.raises(ModelConfigError, match="pip install langchain-nosuch"):
        check_model_spec("nosuch:model")


def test_missing_api_key_is_reported_before_any_call():
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        check_model_spec("openai:gpt-4o-mini")


def test_missing_key_fails_the_team_at_build_time():
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        RoleModels(("manager", "writer"), {"writer": "openai:gpt-4o-mini"})


def test_env_setting_is_checked_too(monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_WRITER_MODEL", "acme:x")
    with pytest.raises(ModelConfigError, match="acme"):
        RoleModels(("manager", "writer"))


def test_openai_model_honours_key_and_base_url(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    model = load_chat_model("openai:some-served-model")
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "some-served-model"
    assert str(model.root_client.base_url).rstrip("/") == "http://127.0.0.1:9/v1"


def test_string_models_are_built_once_per_process(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert load_chat_model("openai:cached-model") is load_chat_model("openai:cached-model")


def test_role_models_labels_and_per_run_override(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake = scripted("x", label="w")
    roles = RoleModels(("manager", "writer"), {"writer": fake, "manager": "openai:gpt-4o-mini"})
    assert roles.labels() == {"manager": "openai:gpt-4o-mini", "writer": "ScriptedChatModel"}
    assert roles.get("writer") is fake
    assert roles.setting("writer", "openai:other") == "openai:other"
    with pytest.raises(ModelConfigError):
        roles.setting("writer", "acme:x")


def test_missing_model_file_is_a_clear_local_model_error(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMGRAPH_LOCAL_MODEL_PATH", str(tmp_path / "absent.gguf"))
    server = LocalModelServer()
    with pytest.raises(LocalModelError, match="absent.gguf is missing"):
        server.base_url()
    assert not server.running


def test_bad_port_setting_is_a_clear_local_model_error(monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_LOCAL_PORT", "eighty")
    with pytest.raises(LocalModelError, match="TEAMGRAPH_LOCAL_PORT"):
        LocalModelServer().base_url()


def test_a_model_not_installed_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(models, "_cache", {}, raising=True)
    with pytest.raises(LocalModelError, match="teamgraph model install qwen2.5-coder-1.5b"):
        LocalModelServer().base_url()
    with pytest.raises(LocalModelError, match="teamgraph model install smollm2-135m"):
        load_chat_model("local:smollm2-135m")
