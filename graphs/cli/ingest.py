"""``teamgraph ingest``: put documents (or the offline Wikipedia corpus) into the knowledge base."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphs.cli.exit_codes import EXIT_USAGE
from graphs.cli.heap import set_up_done
from graphs.cli.help import HOME_ENV, command
from graphs.cli.interrupts import stop_at_once
from graphs.cli.results import print_error, print_json
from tools.kernel.config import resolve
from tools.kernel.errors import InputError
from tools.knowledge_store import DEFAULT_COLLECTION, KnowledgeStore
from tools.wiki_corpus import WikipediaCorpus

if TYPE_CHECKING:
    from tools.ingest import FileResult, IngestReport


def add_parser(commands: Any) -> None:
    """Register the ``ingest`` command."""
    parser = command(
        commands,
        "ingest",
        description="Reads files and folders (recursively) into a collection of the "
        "knowledge base, a line per file: added, unchanged, replaced, or skipped with the "
        "reason. Running it again adds only what changed and finishes what a crash cut short.",
        examples=["teamgraph ingest ./docs", "teamgraph ingest notes.md --collection notes"],
        env={
            **HOME_ENV,
            "TEAMGRAPH_EMBEDDINGS": "openai:<model> to embed with OpenAI (default: offline)",
        },
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files and folders (recursive)")
    parser.add_argument(
        "--collection",
        help=f"collection name (default: the collection setting, else {DEFAULT_COLLECTION})",
    )
    parser.add_argument(
        "--wikipedia-offline",
        action="store_true",
        help="build the dense index of the offline Wikipedia corpus",
    )
    parser.add_argument(
        "--follow-links",
        action="store_true",
        help="follow links that lead outside the folders given (skipped by default)",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="also remove from the collection the files under these paths that are gone",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(run=run)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


OUTCOME_STYLES = {
    "added": "green",
    "replaced": "cyan",
    "unchanged": "dim",
    "skipped": "yellow",
    "removed": "magenta",
}


def outcome_line(result: FileResult) -> str:
    """One line for one file: what happened to it and why (rich markup)."""
    style = OUTCOME_STYLES[result.outcome]
    detail = {
        "added": f" ({result.chunks} chunks)",
        "removed": f" ({result.chunks} chunks; the file is gone)",
        "replaced": f" ({result.chunks} chunks)" if result.chunks else " (a stale copy removed)",
        "skipped": f": {result.reason}",
    }.get(result.outcome, "")
    return f"[{style}]{result.outcome}[/{style}] {result.path}{detail}"


def _ingest_files(args: argparse.Namespace, console: Console) -> IngestReport:
    from tools.ingest import discover, ingest

    store = KnowledgeStore(args.collection)
    total = sum(1 for _ in discover(args.paths, args.follow_links))
    with _progress(console) as progress:
        task = progress.add_task(f"ingesting into {args.collection!r}", total=total)

        def on_file(result: FileResult) -> None:
            if result.outcome != "removed":
                progress.advance(task)
            if not args.json:
                progress.console.print(outcome_line(result), highlight=False, soft_wrap=True)

        return ingest(
            args.paths, store, on_file=on_file, follow_links=args.follow_links, prune=args.prune
        )


def _summary(report: IngestReport) -> dict[str, Any]:
    return {
        "files": len(report.files),
        "added": report.count("added"),
        "unchanged": report.count("unchanged"),
        "replaced": report.count("replaced"),
        "skipped": report.count("skipped"),
        "removed": report.count("removed"),
        "chunks_added": report.chunks_added,
        "skipped_files": [{"path": f.path, "reason": f.reason} for f in report.files if f.reason],
    }


def _build_wikipedia(console: Console) -> int:
    corpus = WikipediaCorpus()
    with _progress(console) as progress:
        task = progress.add_task("embedding the offline Wikipedia corpus", total=None)

        def on_batch(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return corpus.build_dense_index(on_batch)


def run(args: argparse.Namespace, console: Console) -> int:
    """Ingest the given paths and/or the offline Wikipedia corpus; print a summary."""
    if not args.paths and not args.wikipedia_offline:
        console.print(
            "[bold red]error:[/bold red] Nothing to ingest: give files or folders, or "
            "--wikipedia-offline.",
            highlight=False,
        )
        return EXIT_USAGE
    set_up_done()
    args.collection = resolve("collection", args.collection, DEFAULT_COLLECTION).value
    with stop_at_once(console, lambda: KEPT_ON_INTERRUPT):
        return _run(args, console)


KEPT_ON_INTERRUPT = (
    "the files finished so far are stored; run the same command again to finish the rest "
    "(a file cut short is completed)"
)


def _run(args: argparse.Namespace, console: Console) -> int:
    result: dict[str, Any] = {}
    if args.wikipedia_offline:
        added = _build_wikipedia(console)
        result["wikipedia_offline"] = {"articles_added": added}
        console.print(f"offline Wikipedia corpus: {added} articles embedded", highlight=False)
    if args.paths:
        summary = _summary(_ingest_files(args, console))
        result["collection"] = args.collection
        result.update(summary)
        counted = ["files", "added", "unchanged", "replaced", "skipped", "chunks_added"]
        if args.prune:
            counted.insert(5, "removed")
        table = Table(*(key.replace("_", " ") for key in counted))
        table.add_row(*(str(summary[key]) for key in counted))
        if not args.json:
            console.print(table)
        if summary["files"] and summary["skipped"] == summary["files"]:
            failed = InputError("No file could be ingested (see the reasons above).")
            if args.json:
                print_error(failed, result)
            raise failed
    if args.json:
        print_json(result)
    return 0
