"""Turn a role's model setting into a chat model.

A setting is ``"provider:model"`` (handed to LangChain's ``init_chat_model``), ``local``
for the embedded model, or a ready ``BaseChatModel``. Precedence for a role: explicit
argument or CLI flag > ``TEAMGRAPH_<ROLE>_MODEL`` > ``TEAMGRAPH_MODEL`` > the project
file (``[models]``: the role's line, then ``default``) > ``local``.

Providers teamgraph knows get their package and key checked before anything runs; any
other provider ``init_chat_model`` knows is passed through, and its own error (a missing
package, a missing key) is reported as it says.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from agents.llm.embedded import LOCAL, embedded_model, is_local
from agents.llm.llama_server import call_timeout_s, replaced_file
from agents.llm.loaded import is_instance
from agents.llm.local_server import LOCAL_SERVER
from tools.kernel.config import Resolved, file_model, project_config
from tools.kernel.errors import ModelConfigError
from tools.kernel.spelling import with_closest

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agents.llm.local_chat import LocalChatModel

ModelSetting: TypeAlias = "str | BaseChatModel"
"""A role's model: a ``provider:model`` string or ``local``, or a chat model. LangChain's
model classes are imported only when a model is made: they cost half a second to load."""


@dataclass(frozen=True)
class Provider:
    """What a provider needs: its LangChain package and the env var holding its key."""

    package: str
    module: str
    key_env: str | None
    credentials: str = ""
    """What it signs in with when that is not one key (said when the package is missing)."""


AWS = "AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
PROVIDERS: dict[str, Provider] = {
    "openai": Provider("langchain-openai", "langchain_openai", "OPENAI_API_KEY"),
    "azure_openai": Provider("langchain-openai", "langchain_openai", "AZURE_OPENAI_API_KEY"),
    "anthropic": Provider("langchain-anthropic", "langchain_anthropic", "ANTHROPIC_API_KEY"),
    "ollama": Provider("langchain-ollama", "langchain_ollama", None),
    "google_genai": Provider("langchain-google-genai", "langchain_google_genai", "GOOGLE_API_KEY"),
    "groq": Provider("langchain-groq", "langchain_groq", "GROQ_API_KEY"),
    "mistralai": Provider("langchain-mistralai", "langchain_mistralai", "MISTRAL_API_KEY"),
    "deepseek": Provider("langchain-deepseek", "langchain_deepseek", "DEEPSEEK_API_KEY"),
    "xai": Provider("langchain-xai", "langchain_xai", "XAI_API_KEY"),
    "together": Provider("langchain-together", "langchain_together", "TOGETHER_API_KEY"),
    "fireworks": Provider("langchain-fireworks", "langchain_fireworks", "FIREWORKS_API_KEY"),
    "cohere": Provider("langchain-cohere", "langchain_cohere", "COHERE_API_KEY"),
    "bedrock_converse": Provider("langchain-aws", "langchain_aws", None, AWS),
    "bedrock": Provider("langchain-aws", "langchain_aws", None, AWS),
    "anthropic_bedrock": Provider("langchain-aws", "langchain_aws", None, AWS),
    "openrouter": Provider("langchain-openrouter", "langchain_openrouter", "OPENROUTER_API_KEY"),
    "litellm": Provider(
        "langchain-litellm",
        "langchain_litellm",
        None,
        "the key of the provider LiteLLM calls (e.g. OPENAI_API_KEY)",
    ),
    "google_vertexai": Provider(
        "langchain-google-vertexai",
        "langchain_google_vertexai",
        None,
        "Google Cloud credentials (gcloud auth application-default login)",
    ),
    "perplexity": Provider("langchain-perplexity", "langchain_perplexity", "PPLX_API_KEY"),
    "nvidia": Provider(
        "langchain-nvidia-ai-endpoints", "langchain_nvidia_ai_endpoints", "NVIDIA_API_KEY"
    ),
    "upstage": Provider("langchain-upstage", "langchain_upstage", "UPSTAGE_API_KEY"),
    "huggingface": Provider("langchain-huggingface", "langchain_huggingface", None),
}

RETRIED_BY_US = frozenset(
    {
        "openai",
        "azure_openai",
        "anthropic",
        "google_genai",
        "groq",
        "mistralai",
        "deepseek",
        "xai",
        "together",
        "fireworks",
    }
)
"""Providers whose SDK retries are turned off: teamgraph retries, and counts each attempt."""

LOCAL_SEED = 42


def role_env_var(role: str) -> str:
    """Name of the env var that sets one role's model, e.g. ``TEAMGRAPH_WRITER_MODEL``."""
    return f"TEAMGRAPH_{role.upper()}_MODEL"


def model_source(role: str, explicit: ModelSetting | None = None) -> Resolved:
    """The setting that wins for ``role`` under the precedence rule, and where it came from."""
    if explicit is not None and explicit != "":
        return Resolved(explicit, "argument or flag")
    for name in (role_env_var(role), "TEAMGRAPH_MODEL"):
        value = os.environ.get(name, "").strip()
        if value:
            return Resolved(value, f"env {name}")
    return file_model(role) or Resolved(LOCAL, "default")


def shared_model(explicit: str | None = None) -> str:
    """The one model of a run whose roles all share it (``teamgraph eval``'s team and call).

    ``explicit`` (the flag) > ``TEAMGRAPH_MODEL`` > the project file's ``default`` > ``local``;
    a role's own variable does not apply.
    """
    if explicit:
        return explicit
    value = os.environ.get("TEAMGRAPH_MODEL", "").strip()
    if value:
        return value
    found = file_model("default")
    return str(found.value) if found else LOCAL


def choose_model(role: str, explicit: ModelSetting | None = None) -> ModelSetting:
    """Apply the precedence rule and return the setting that wins for ``role``."""
    setting: ModelSetting = model_source(role, explicit).value
    return setting


def split_spec(spec: str) -> tuple[str, str]:
    """Split ``"provider:model"``; the model part may itself contain colons."""
    provider, sep, model = spec.strip().partition(":")
    if not sep or not provider or not model:
        raise ModelConfigError(
            f"Model {spec!r} is not of the form provider:model: write e.g. "
            "openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest or ollama:llama3.2, "
            "or use local for the embedded model."
        )
    return provider.lower(), model


def _init(spec: str) -> BaseChatModel:
    """``init_chat_model`` for ``spec``; its errors become one-line ModelConfigErrors."""
    provider, model = split_spec(spec)
    retries: dict[str, Any] = {"max_retries": 0} if provider in RETRIED_BY_US else {}
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model, model_provider=provider, **retries)
    except ValueError as error:
        if "provider" in str(error).lower() and "unsupported" in str(error).lower():
            known = ", ".join(sorted({*PROVIDERS, *_providers_in(str(error))}))
            raise ModelConfigError(
                f"Unknown model provider {provider!r} in {spec!r}: use one of {known}, "
                "or local for the embedded model."
            ) from None
        raise ModelConfigError(f"Model {spec!r} cannot be used: {_one_line(error)}") from None
    except Exception as error:
        raise ModelConfigError(f"Model {spec!r} cannot be used: {_one_line(error)}") from None


def _providers_in(message: str) -> list[str]:
    """The provider names listed in init_chat_model's "unsupported provider" message."""
    listed = message.rpartition(":")[2]
    return [name.strip() for name in listed.split(",") if name.strip().isidentifier()]


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines[:3]) or type(error).__name__


def check_model_spec(spec: str) -> None:
    """Raise ModelConfigError now if ``spec`` cannot work: provider, package or key.

    Providers not in :data:`PROVIDERS` are checked by building the model, which needs
    no network: init_chat_model's own message then says what is missing.
    """
    if is_local(spec):
        embedded_model(spec)
        return
    provider_name, _ = split_spec(spec)
    provider = PROVIDERS.get(provider_name)
    if provider is None:
        _init(spec)
        return
    if importlib.util.find_spec(provider.module) is None:
        signs_in = f", then sign in with {provider.credentials}" if provider.credentials else ""
        key = f" and an API key in {provider.key_env}" if provider.key_env else ""
        raise ModelConfigError(
            f"Model {spec!r} needs the {provider.package} package{key}: "
            f"run `pip install {provider.package}`{signs_in}."
        )
    if provider.key_env and not os.environ.get(provider.key_env, "").strip():
        hint = (
            " (any non-empty value works for a keyless OpenAI-compatible server at OPENAI_BASE_URL)"
            if provider_name == "openai"
            else ""
        )
        raise ModelConfigError(
            f"Model {spec!r} needs an API key: set {provider.key_env}{hint}, "
            "or choose another model (e.g. local)."
        )


def check_model_form(spec: str) -> None:
    """Raise ModelConfigError if ``spec`` names no model: its form, provider or embedded name.

    Unlike :func:`check_model_spec`, a known provider's package and key are not needed:
    they are checked when the model is used.
    """
    if is_local(spec):
        embedded_model(spec)
        return
    provider, _ = split_spec(spec)
    if provider not in PROVIDERS:
        check_model_spec(spec)


def local_chat_model(spec: str) -> LocalChatModel:
    """The chat model of the embedded model ``spec`` names, its server started if needed."""
    from agents.llm.local_chat import LocalChatModel

    model = embedded_model(spec)
    sampling = model.sampling
    return LocalChatModel(
        base_url=LOCAL_SERVER.base_url(model),
        api_key=LOCAL,  # type: ignore[arg-type]
        model=model.name,
        temperature=sampling.temperature,
        frequency_penalty=sampling.frequency_penalty,
        presence_penalty=sampling.presence_penalty,
        max_tokens=sampling.max_tokens,  # type: ignore[call-arg]
        timeout=call_timeout_s(),
        max_retries=0,
        seed=LOCAL_SEED,
        stream_usage=True,
        disable_streaming="tool_calling",
        native_tool_calls=model.native_tool_calls and replaced_file(model) is None,
        embedded_name=model.name,
    )


def _build_chat_model(spec: str) -> BaseChatModel:
    if is_local(spec):
        return local_chat_model(spec)
    check_model_spec(spec)
    return _init(spec)


_cache: dict[str, BaseChatModel] = {}
_cache_lock = threading.Lock()


def load_chat_model(setting: ModelSetting) -> BaseChatModel:
    """Return the chat model for a setting; string settings are built once per process."""
    if not isinstance(setting, str):
        return setting
    spec = setting.strip()
    if is_local(spec):
        spec = embedded_model(spec).setting
    with _cache_lock:
        if spec not in _cache:
            _cache[spec] = _build_chat_model(spec)
        return _cache[spec]


def model_label(setting: ModelSetting) -> str:
    """A short human-readable name for a setting (``local``, ``openai:gpt-4o``, class name)."""
    if not isinstance(setting, str):
        name = getattr(setting, "model_name", None) or getattr(setting, "model", None)
        return (
            f"{type(setting).__name__}({name})" if isinstance(name, str) else type(setting).__name__
        )
    return setting.strip()


def refuse_unknown_roles(
    given: Iterable[str], roles: Sequence[str], team: str = "this team"
) -> None:
    """Raise ModelConfigError for models given to roles ``team`` lacks (with the closest role)."""
    unknown = sorted(set(given) - set(roles))
    if not unknown:
        return
    raise ModelConfigError(
        f"No role named {', '.join(with_closest(unknown, roles))} in {team}: its roles are "
        f"{', '.join(roles)}."
    )


def given_models(
    models: object, roles: Sequence[str], team: str = "this team"
) -> dict[str, ModelSetting | None]:
    """``models`` as a dict of role to setting; ModelConfigError if it is not one.

    A single model where a mapping belongs, a role ``team`` lacks, or a role given
    something that is no model (a number, a list) is said at once, not deep inside a run.
    A role given a mapping is a team playing it: its roles' models, checked by that team.
    """
    if models is None:
        return {}
    if not isinstance(models, Mapping):
        what = repr(models) if isinstance(models, str) else f"a {type(models).__name__}"
        raise ModelConfigError(
            f"models maps each role to its model, e.g. {{{roles[0]!r}: 'local'}}, not {what}: "
            f"the roles are {', '.join(roles)} (TEAMGRAPH_MODEL sets one model for all)."
        )
    refuse_unknown_roles(models, roles, team)
    for role, value in models.items():
        if value is None or isinstance(value, str | Mapping) or hasattr(value, "invoke"):
            continue
        raise ModelConfigError(
            f"The model given to {role} is {value!r}, of type {type(value).__name__}: give "
            "'provider:model', 'local' or a LangChain chat model."
        )
    return dict(models)


class RoleModels:
    """The model of each role of a team, checked up front and loaded on first use."""

    def __init__(
        self,
        roles: Iterable[str],
        models: Mapping[str, ModelSetting | None] | None = None,
        *,
        check: bool = True,
    ) -> None:
        """Choose every role's model; with ``check``, raise ModelConfigError now, before any run.

        Without ``check`` a bad setting is reported by the first call that needs it.
        """
        self.roles = tuple(roles)
        given = given_models(models, self.roles)
        if check:
            project_config().check()
        self._settings = {role: choose_model(role, given.get(role)) for role in self.roles}
        for setting in self._settings.values():
            if check and isinstance(setting, str):
                check_model_spec(setting)

    def setting(self, role: str, override: str | None = None) -> ModelSetting:
        """The setting used for ``role``; a non-empty per-run ``override`` wins."""
        if override:
            check_model_spec(override)
            return override
        return self._settings[role]

    def get(self, role: str, override: str | None = None) -> BaseChatModel:
        """The chat model for ``role`` (starting the embedded model if it is needed)."""
        return load_chat_model(self.setting(role, override))

    def label(self, role: str, override: str | None = None) -> str:
        """The readable name of the model used for ``role``."""
        return model_label(self.setting(role, override))

    def labels(self) -> dict[str, str]:
        """Role -> readable model name, for reports and ``--json``."""
        return {role: model_label(setting) for role, setting in self._settings.items()}


def is_embedded(model: BaseChatModel) -> bool:
    """Whether ``model`` is an embedded model behind its loopback server."""
    return is_instance(model, "agents.llm.local_chat", "LocalChatModel")


def calls_tools(model: BaseChatModel) -> bool:
    """Whether ``model`` can call tools natively (an embedded model says so itself)."""
    if is_embedded(model):
        return bool(getattr(model, "native_tool_calls", False))
    from langchain_core.language_models import BaseChatModel

    return type(model).bind_tools is not BaseChatModel.bind_tools


def takes_guided_path(model: BaseChatModel) -> bool:
    """Whether a role's model gets the guided path: search first, structured actions.

    A model that cannot call tools natively (an embedded model too small to, or a chat
    model without tool calling) is led through JSON-constrained steps instead.
    """
    return not calls_tools(model)
