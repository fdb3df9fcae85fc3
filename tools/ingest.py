"""Put files into the knowledge base: idempotent, per-file outcome, nothing lost on error.

A file's chunks are keyed by its absolute path and tagged with its content hash:
re-ingesting an unchanged file adds nothing, a changed file replaces its old chunks,
and a file that cannot be read is skipped with the reason, leaving what was stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from langchain_text_splitters import RecursiveCharacterTextSplitter

from tools.knowledge_store import Chunk, KnowledgeStore
from tools.loaders import UnreadableFile, load_sections

CHUNK_CHARS = 1000
CHUNK_OVERLAP = 150
Outcome = Literal["added", "unchanged", "replaced", "skipped"]


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    path: str
    outcome: Outcome
    chunks: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    """Every file's result, with totals."""

    files: list[FileResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many files had ``outcome``."""
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def chunks_added(self) -> int:
        """Chunks written by this run (added or replacing older ones)."""
        return sum(f.chunks for f in self.files if f.outcome in ("added", "replaced"))


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Files under ``paths`` (recursively, hidden entries skipped); missing paths yield a reason."""
    for path in paths:
        if not path.exists():
            yield path, "no such file or folder"
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child, ""
        else:
            yield path, ""


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def chunk_file(path: Path, content_hash: str) -> list[Chunk]:
    """Split a readable file into chunks with source, title, location and chunk index."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP)
    source = str(path.resolve())
    prefix = hashlib.sha1(source.encode()).hexdigest()[:12]
    chunks: list[Chunk] = []
    for section in load_sections(path):
        for piece in splitter.split_text(section.text):
            index = len(chunks)
            chunks.append(
                Chunk(
                    id=f"{prefix}-{content_hash[:8]}-{index}",
                    text=piece,
                    metadata={
                        "source": source,
                        "title": path.name,
                        "location": section.location,
                        "chunk": index,
                        "file_hash": content_hash,
                    },
                )
            )
    return chunks


def ingest(
    paths: Iterable[Path],
    store: KnowledgeStore,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store``; ``on_file`` sees each result as it comes."""
    report = IngestReport()
    stored = store.file_hashes()
    for path, problem in discover(paths):
        result = _ingest_one(path, problem, stored, store)
        report.files.append(result)
        if on_file:
            on_file(result)
    return report


def _ingest_one(
    path: Path, problem: str, stored: dict[str, str], store: KnowledgeStore
) -> FileResult:
    if problem:
        return FileResult(str(path), "skipped", reason=problem)
    source = str(path.resolve())
    try:
        content_hash = file_hash(path)
        if stored.get(source) == content_hash:
            return FileResult(source, "unchanged")
        chunks = chunk_file(path, content_hash)
    except UnreadableFile as error:
        return FileResult(source, "skipped", reason=str(error))
    except OSError as error:
        return FileResult(source, "skipped", reason=f"cannot read ({error.strerror or error})")
    outcome: Outcome = "replaced" if source in stored else "added"
    store.replace_source(source, chunks)
    stored[source] = content_hash
    return FileResult(source, outcome, chunks=len(chunks))
