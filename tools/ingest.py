"""Put files into the knowledge base: idempotent, per-file outcome, nothing lost on error.

A file's chunks are keyed by its absolute path and tagged with its content hash and
their count: re-ingesting a file stored in full adds nothing, a changed file replaces
its old chunks once the new ones are all in, a file a crash cut short is finished, and a
file that cannot be read is skipped with the reason, leaving what was stored. Links that
leave the folder are skipped (unless followed), and so are link loops, each reported.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from langchain_text_splitters import RecursiveCharacterTextSplitter

from tools.document_readers import UnreadableFile, load_sections
from tools.knowledge_store import Chunk, KnowledgeStore, complete_versions

CHUNK_CHARS = 1000
CHUNK_OVERLAP = 150
SEPARATORS = ["\n\n", "\n", " ", r"(?<=[。！？])", r"(?<=[；，、])", ""]
"""Where a chunk may end, best first (patterns): paragraphs, lines and spaces, as the
splitter's defaults, then after the end of a Chinese or Japanese sentence or clause, so
unspaced text is not cut in the middle of a word."""
Outcome = Literal["added", "unchanged", "replaced", "skipped", "removed"]


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


def discover(paths: Iterable[Path], follow_links: bool = False) -> Iterator[tuple[Path, str]]:
    """Files under ``paths`` (recursively), each with "" or why it is not read.

    A hidden entry in a folder (a name starting with a dot: ``.git``, ``.DS_Store``) is
    reported and not read; a hidden folder as one entry.
    """
    for path in paths:
        if not path.exists():
            yield path, _broken_link(path) if path.is_symlink() else "no such file or folder"
        elif path.is_dir():
            yield from _walk(path, follow_links)
        else:
            yield path, ""


def _walk(root: Path, follow_links: bool) -> Iterator[tuple[Path, str]]:
    top = root.resolve()
    followed = {top}
    for folder, folders, files in os.walk(root, followlinks=follow_links):
        here = Path(folder)
        kept = []
        for name in sorted(folders):
            problem = HIDDEN_FOLDER if name.startswith(".") else ""
            problem = problem or _link_problem(here / name, top, follow_links, followed)
            if problem:
                yield here / name, problem
            else:
                kept.append(name)
        folders[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                yield here / name, HIDDEN_FILE
            else:
                yield here / name, _link_problem(here / name, top, follow_links, set())


HIDDEN_FOLDER = "hidden folder (its name starts with a dot; name it to read it)"
HIDDEN_FILE = "hidden file (its name starts with a dot; name it to read it)"


def _broken_link(path: Path) -> str:
    """What is wrong with a link that leads to no file: a loop, or a missing target."""
    try:
        path.resolve()
    except (RuntimeError, OSError):
        return LINK_LOOP
    return "broken link"


LINK_LOOP = "link loop (it leads back to itself)"


def _link_problem(path: Path, top: Path, follow_links: bool, followed: set[Path]) -> str:
    """Why a link is not followed ("" for what is not a link, or is followed)."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve()
    except (RuntimeError, OSError):
        return LINK_LOOP
    if not target.exists():
        return "broken link"
    inside = target == top or target.is_relative_to(top)
    if path.is_dir() and (target in followed or top.is_relative_to(target)):
        return f"link loop (to {target})"
    if not inside and not follow_links:
        return f"link to {target}, outside the folder (use --follow-links to follow it)"
    if path.is_dir() and inside and not follow_links:
        return f"link to {target}, inside the folder (its files are read there)"
    followed.add(target)
    return ""


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def chunk_file(path: Path, content_hash: str) -> list[Chunk]:
    """Split a readable file into chunks with source, title, location, index and count."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_CHARS,
        chunk_overlap=CHUNK_OVERLAP,
        separators=SEPARATORS,
        is_separator_regex=True,
    )
    source = str(path.resolve())
    prefix = hashlib.sha1(source.encode()).hexdigest()[:12]
    pieces = [
        (section.location, piece)
        for section in load_sections(path)
        for piece in splitter.split_text(section.text)
    ]
    return [
        Chunk(
            id=f"{prefix}-{content_hash[:8]}-{index}",
            text=piece,
            metadata={
                "source": source,
                "title": path.name,
                "location": location,
                "chunk": index,
                "chunk_count": len(pieces),
                "file_hash": content_hash,
            },
        )
        for index, (location, piece) in enumerate(pieces)
    ]


BATCH_CHUNKS = 256
"""Files are embedded and written together until they hold this many chunks: the model
gets full batches of like lengths, and the store one write for many small files."""


@dataclass
class Prepared:
    """A file read and chunked, waiting to be embedded and written with others."""

    source: str
    content_hash: str
    chunks: list[Chunk]
    outcome: Outcome
    others: bool
    """Whether other versions of the file are stored (dropped once this one is in)."""


def ingest(
    paths: Iterable[Path],
    store: KnowledgeStore,
    on_file: Callable[[FileResult], None] | None = None,
    follow_links: bool = False,
    prune: bool = False,
) -> IngestReport:
    """Ingest files and folders into ``store``; ``on_file`` sees each result as it comes.

    Files are written in batches of about :data:`BATCH_CHUNKS` chunks; results come in
    the order of the files. With ``prune``, the stored files under ``paths`` that no
    longer exist are then removed (each result ``removed``).
    """
    paths = list(paths)
    report = IngestReport()
    stored = store.file_versions()
    waiting: list[FileResult | Prepared] = []

    def flush() -> None:
        _write([item for item in waiting if isinstance(item, Prepared)], store, stored)
        for item in waiting:
            result = item if isinstance(item, FileResult) else _written(item)
            report.files.append(result)
            if on_file:
                on_file(result)
        waiting.clear()

    first_seen: dict[str, Path] = {}
    for path, problem in discover(paths, follow_links):
        problem = problem or _repeated(path, first_seen)
        waiting.append(_prepare(path, problem, stored, store))
        if sum(len(i.chunks) for i in waiting if isinstance(i, Prepared)) >= BATCH_CHUNKS:
            flush()
    flush()
    if prune:
        for result in _prune(paths, stored, store):
            report.files.append(result)
            if on_file:
                on_file(result)
    return report


def _prune(
    paths: list[Path], stored: dict[str, dict[str, tuple[int, int]]], store: KnowledgeStore
) -> list[FileResult]:
    """Remove the stored files under ``paths`` (folders, or files named) that are gone."""
    roots = [path.resolve() for path in paths]
    gone = sorted(
        source
        for source in stored
        if any(Path(source).is_relative_to(root) for root in roots) and not Path(source).exists()
    )
    store.drop_sources(gone)
    return [
        FileResult(source, "removed", chunks=sum(count for count, _ in stored[source].values()))
        for source in gone
    ]


def _repeated(path: Path, first_seen: dict[str, Path]) -> str:
    """Why ``path`` is not read again ("" the first time its file is reached in this run).

    A file named twice, in a folder and its subfolder, or through a link is read once;
    ``first_seen`` remembers where each file was first reached.
    """
    source = str(path.resolve())
    if source in first_seen:
        return f"the same file as {first_seen[source]}, read once"
    first_seen[source] = path.absolute()
    return ""


def _prepare(
    path: Path, problem: str, stored: dict[str, dict[str, tuple[int, int]]], store: KnowledgeStore
) -> FileResult | Prepared:
    """What to do with one file: its result at once, or its chunks to write."""
    if not problem and not path.is_file():
        problem = "not a regular file (a pipe, socket or device is never read)"
    if problem:
        return FileResult(str(path.absolute()), "skipped", reason=problem)
    source = str(path.resolve())
    versions = stored.get(source, {})
    try:
        content_hash = file_hash(path)
        if content_hash in complete_versions(versions):
            if len(versions) == 1:
                return FileResult(source, "unchanged")
            store.drop_other_versions(source, content_hash)
            return FileResult(source, "replaced", chunks=0)
        chunks = chunk_file(path, content_hash)
    except UnreadableFile as error:
        return FileResult(source, "skipped", reason=str(error))
    except OSError as error:
        return FileResult(source, "skipped", reason=f"cannot read ({error.strerror or error})")
    others = bool(set(versions) - {content_hash})
    return Prepared(source, content_hash, chunks, "replaced" if others else "added", others)


def _write(
    files: list[Prepared], store: KnowledgeStore, stored: dict[str, dict[str, tuple[int, int]]]
) -> None:
    """Embed and store the chunks of ``files`` together, then drop their other versions."""
    if not files:
        return
    store.store_versions([(f.source, f.content_hash, f.chunks, f.others) for f in files])
    for f in files:
        stored[f.source] = {f.content_hash: (len(f.chunks), len(f.chunks))}


def _written(item: Prepared) -> FileResult:
    return FileResult(item.source, item.outcome, chunks=len(item.chunks))
