"""Any provider init_chat_model knows: the package or key it needs, never "unknown provider"."""

import pytest

from agents.llm.models import RoleModels, check_model_spec
from graphs.cli import main
from tools.kernel.errors import ModelConfigError


@pytest.mark.parametrize(
    ("spec", "needs"),
    [
        ("openrouter:anthropic/claude-3.5-haiku", ["langchain-openrouter", "OPENROUTER_API_KEY"]),
        ("bedrock:anthropic.claude-3-haiku", ["langchain-aws", "AWS credentials"]),
        ("litellm:gpt-4o-mini", ["langchain-litellm", "the key of the provider LiteLLM calls"]),
        ("google_vertexai:gemini-2.0-flash", ["langchain-google-vertexai", "Google Cloud"]),
        ("meta:llama-4", ["langchain-meta"]),
        ("baseten:deepseek-r1", ["langchain-baseten"]),
    ],
)
def test_providers_init_chat_model_knows_say_what_they_need(spec, needs):
    with pytest.raises(ModelConfigError) as caught:
        check_model_spec(spec)
    message = str(caught.value)
    assert "Unknown model provider" not in message
    assert all(need in message for need in needs), message
    assert "pip install" in message


def test_a_provider_no_one_knows_is_unknown_and_the_known_ones_are_listed():
    with pytest.raises(ModelConfigError) as caught:
        check_model_spec("acme:rocket-1")
    message = str(caught.value)
    assert message.startswith("Unknown model provider 'acme' in 'acme:rocket-1'")
    assert "openrouter" in message and "litellm" in message and "local" in message


def test_a_known_provider_with_its_package_still_needs_its_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelConfigError, match="needs an API key: set OPENAI_API_KEY"):
        RoleModels(("agent",), {"agent": "openai:gpt-4o-mini"})


def test_the_cli_reports_a_provider_package_in_one_line(capsys):
    assert main(["ask", "q", "--model", "openrouter:openai/gpt-4o-mini"]) == 1
    err = capsys.readouterr().err
    assert "needs the langchain-openrouter package" in err and "Traceback" not in err
