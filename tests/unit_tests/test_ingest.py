import codecs
import os
import threading
from pathlib import Path

import pytest

from tests.pdfs import write_encrypted_pdf, write_text_pdf
from tools.embeddings import embedding_threads
from tools.ingest import (
    CHUNK_CHARS,
    CHUNK_OVERLAP,
    HIDDEN_FILE,
    HIDDEN_FOLDER,
    chunk_file,
    ingest,
)
from tools.kernel.errors import InputError, ModelConfigError
from tools.knowledge_base_tool import make_knowledge_base_tool
from tools.knowledge_store import KnowledgeStore


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "guide.md").write_text(
        "# Guide\n\n## Wi-Fi\nThe Wi-Fi password is purple-otter-42.\n\n## Lunch\nLunch is at noon.\n"
    )
    (folder / "sub" / "notes.txt").write_text("The quarterly meeting is held in room Atlas.")
    (folder / "page.html").write_text(
        "<html><head><title>Parking</title><script>var x=1;</script></head>"
        "<body><p>Visitor parking is on level B2.</p></body></html>"
    )
    write_text_pdf(folder / "manual.pdf", "The launch code is 4471.")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "secret.txt").write_text("never ingested")
    return folder


def outcomes(report) -> dict[str, str]:
    return {Path(f.path).name: f.outcome for f in report.files}


def test_ingests_every_supported_type_with_locations(docs, store):
    report = ingest([docs], store)
    assert outcomes(report) == {
        ".hidden": "skipped",
        "guide.md": "added",
        "notes.txt": "added",
        "page.html": "added",
        "manual.pdf": "added",
    }
    assert report.chunks_added == store.count() >= 4
    locations = {
        p.metadata["title"]: p.metadata["location"] for p in store.search("launch code", k=1)
    }
    assert locations == {"manual.pdf": "page 1"}
    wifi = store.search("wifi password", k=1)[0]
    assert wifi.metadata["title"] == "guide.md" and "Wi-Fi" in wifi.metadata["location"]
    parking = store.search("where do visitors park", k=1)[0]
    assert parking.metadata["title"] == "page.html" and "var x" not in parking.text


def test_reingesting_unchanged_files_adds_nothing(docs, store):
    ingest([docs], store)
    before = store.count()
    again = ingest([docs], store)
    assert set(outcomes(again).values()) == {"unchanged", "skipped"}
    assert outcomes(again)[".hidden"] == "skipped"
    assert again.chunks_added == 0 and store.count() == before


def test_a_changed_file_replaces_its_old_chunks(docs, store):
    ingest([docs], store)
    before = store.count()
    (docs / "sub" / "notes.txt").write_text("The quarterly meeting moved to room Borealis.")
    report = ingest([docs], store)
    assert outcomes(report)["notes.txt"] == "replaced"
    assert store.count() == before
    texts = [p.text for p in store.search("quarterly meeting room", k=5)]
    assert any("Borealis" in t for t in texts) and not any("Atlas" in t for t in texts)


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(tmp_path, docs, store):
    (docs / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    (docs / "empty.txt").write_text("")
    (docs / "broken.pdf").write_text("not really a pdf")
    write_encrypted_pdf(docs / "locked.pdf", "secret")
    report = ingest([docs, tmp_path / "missing"], store)
    reasons = {Path(f.path).name: f.reason for f in report.files if f.outcome == "skipped"}
    assert reasons["blob.bin"].startswith("binary file")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["broken.pdf"].startswith("corrupt PDF")
    assert reasons["locked.pdf"].startswith("encrypted PDF")
    assert reasons["missing"] == "no such file or folder"
    assert report.count("added") == 4


def test_text_with_a_byte_order_mark_is_read_in_the_encoding_it_names(tmp_path, store):
    folder = tmp_path / "marked"
    folder.mkdir()
    (folder / "notepad.txt").write_bytes("The kettle room is Ållesund.".encode("utf-16"))
    (folder / "big-endian.txt").write_bytes(
        codecs.BOM_UTF16_BE + "Trains at noon.".encode("utf-16-be")
    )
    (folder / "signed.txt").write_bytes(codecs.BOM_UTF8 + "Café opens at eight.".encode())
    (folder / "odd.txt").write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8")
    report = ingest([folder], store)
    read = dict.fromkeys(["big-endian.txt", "notepad.txt", "signed.txt"], "added")
    assert outcomes(report) == {**read, "odd.txt": "skipped"}
    texts = sorted(p.text for p in store.search("kettle trains cafe", k=3))
    assert texts == ["Café opens at eight.", "The kettle room is Ållesund.", "Trains at noon."]


def test_unspaced_chinese_is_cut_after_a_sentence_and_spaced_text_as_before(tmp_path):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    sentences = [f"第{n}条规定：员工出差时，酒店每晚的费用上限为八百元。" for n in range(80)]
    chinese = tmp_path / "rules.txt"
    chinese.write_text("".join(sentences), encoding="utf-8")
    chunks = chunk_file(chinese, "0" * 64)
    assert len(chunks) > 1
    assert all(chunk.text.endswith("。") for chunk in chunks)
    english = tmp_path / "notes.txt"
    english.write_text(big_text(60), encoding="utf-8")
    defaults = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP)
    assert [c.text for c in chunk_file(english, "0" * 64)] == defaults.split_text(big_text(60))


def test_a_file_that_turns_unreadable_keeps_its_stored_chunks(docs, store):
    ingest([docs], store)
    before = store.count()
    (docs / "sub" / "notes.txt").write_bytes(b"\x00binary now")
    report = ingest([docs], store)
    assert outcomes(report)["notes.txt"] == "skipped"
    assert store.count() == before
    assert any("Atlas" in p.text for p in store.search("quarterly meeting", k=3))


def test_knowledge_base_tool_returns_cited_passages(docs, store):
    ingest([docs], store)
    tool = make_knowledge_base_tool(store)
    message = tool.invoke(
        {
            "name": "knowledge_base",
            "args": {"query": "Wi-Fi password"},
            "id": "1",
            "type": "tool_call",
        }
    )
    first = message.artifact[0]
    assert first["kind"] == "file" and first["title"] == "guide.md"
    assert first["path"].endswith("guide.md") and first["chunk_id"] and first["location"]
    assert "purple-otter-42" in message.content


def test_knowledge_base_tool_says_when_nothing_matches(store):
    tool = make_knowledge_base_tool(store)
    assert "No passage" in tool.invoke({"query": "anything"})


def test_a_tool_over_a_collection_not_there_makes_nothing_and_finds_it_once_ingested(
    docs, tmp_path, monkeypatch, minilm
):
    monkeypatch.setenv("TEAMGRAPH_HOME", str(tmp_path / "home"))
    tool = make_knowledge_base_tool("docs")
    said = tool.invoke({"query": "Wi-Fi password"})
    assert said == "The knowledge base holds nothing: there is no collection 'docs'."
    assert not (tmp_path / "home" / "chroma").exists()
    ingest([docs], KnowledgeStore("docs", embeddings=minilm))
    assert "purple-otter-42" in tool.invoke({"query": "Wi-Fi password"})


def test_collection_names_are_checked(tmp_path, minilm):
    with pytest.raises(InputError, match="Collection name"):
        KnowledgeStore("x", home=tmp_path, embeddings=minilm)


class OtherEmbeddings:
    name = "other-embeddings"


def test_embeddings_of_another_model_are_refused_once_the_collection_holds_chunks(tmp_path, minilm):
    (tmp_path / "a.txt").write_text("Bees pollinate flowers.")
    ingest([tmp_path / "a.txt"], KnowledgeStore("docs", home=tmp_path, embeddings=minilm))
    with pytest.raises(InputError, match="built with embeddings"):
        KnowledgeStore("docs", home=tmp_path, embeddings=OtherEmbeddings())  # type: ignore[arg-type]


def test_an_empty_collection_takes_the_embeddings_that_fill_it(tmp_path, minilm, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_EMBEDDINGS", "bogus")
    (tmp_path / "a.txt").write_text("Bees pollinate flowers.")
    with pytest.raises(ModelConfigError, match="Unknown embeddings 'bogus'"):
        ingest([tmp_path / "a.txt"], KnowledgeStore("docs", home=tmp_path))
    monkeypatch.delenv("TEAMGRAPH_EMBEDDINGS")
    store = KnowledgeStore("docs", home=tmp_path, embeddings=minilm)
    assert outcomes(ingest([tmp_path / "a.txt"], store)) == {"a.txt": "added"}
    with pytest.raises(InputError, match="built with embeddings 'local:all-MiniLM-L6-v2'"):
        KnowledgeStore("docs", home=tmp_path, embeddings=OtherEmbeddings())  # type: ignore[arg-type]


def big_text(paragraphs: int, marker: str = "alpha") -> str:
    return "\n\n".join(f"Paragraph {i} about {marker}. " + "word " * 150 for i in range(paragraphs))


def test_a_file_cut_short_by_a_crash_is_finished_by_the_next_run(tmp_path, store, monkeypatch):
    import tools.knowledge_store as knowledge_store

    path = tmp_path / "big.txt"
    path.write_text(big_text(40))
    monkeypatch.setattr(knowledge_store, "PAGE", 10)
    real_upsert = store._collection.upsert
    pages = []

    def crash_after_one_page(**kwargs):
        if pages:
            raise KeyboardInterrupt
        pages.append(len(kwargs["ids"]))
        return real_upsert(**kwargs)

    monkeypatch.setattr(store._collection, "upsert", crash_after_one_page)
    with pytest.raises(KeyboardInterrupt):
        ingest([path], store)
    assert store.count() == 10
    monkeypatch.setattr(store._collection, "upsert", real_upsert)
    report = ingest([path], store)
    assert outcomes(report) == {"big.txt": "added"}
    total = report.files[0].chunks
    assert total > 10 and store.count() == total
    assert outcomes(ingest([path], store)) == {"big.txt": "unchanged"}


def test_a_replaced_file_keeps_its_old_version_until_the_new_one_is_in(
    tmp_path, store, monkeypatch
):
    path = tmp_path / "doc.txt"
    path.write_text(big_text(3, "old"))
    old_count = ingest([path], store).files[0].chunks
    path.write_text(big_text(5, "new"))
    real_upsert = store._collection.upsert

    def crash(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store._collection, "upsert", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest([path], store)
    assert store.count() == old_count
    assert "old" in store.search("old", k=1)[0].text
    monkeypatch.setattr(store._collection, "upsert", real_upsert)
    report = ingest([path], store)
    assert outcomes(report) == {"doc.txt": "replaced"}
    assert store.count() == report.files[0].chunks
    assert all("new" in passage.text for passage in store.search("paragraph", k=20))


def test_links_leaving_the_folder_and_loops_are_skipped_and_reported(tmp_path, store):
    outside = tmp_path / "outside.txt"
    outside.write_text("A secret outside the folder.")
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inside.txt").write_text("The folder's own facts.")
    (folder / "out-link.txt").symlink_to(outside)
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "ring-a.txt").symlink_to(folder / "ring-b.txt")
    (folder / "ring-b.txt").symlink_to(folder / "ring-a.txt")
    report = ingest([folder], store)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["inside.txt"].outcome == "added"
    assert by_name["out-link.txt"].outcome == "skipped"
    assert "outside the folder" in by_name["out-link.txt"].reason
    assert by_name["loop"].outcome == "skipped" and "loop" in by_name["loop"].reason
    assert by_name["dangling.txt"].reason == "broken link"
    assert by_name["ring-a.txt"].outcome == "skipped" and "loop" in by_name["ring-a.txt"].reason
    (named,) = ingest([folder / "ring-b.txt"], store).files
    assert named.outcome == "skipped" and "loop" in named.reason
    assert not any("secret" in p.text for p in store.search("secret outside", k=5))
    followed = ingest([folder], store, follow_links=True)
    by_name = {Path(f.path).name: f for f in followed.files}
    assert by_name["outside.txt"].outcome == "added"  # stored under its real path
    assert "loop" in by_name["loop"].reason


def test_a_file_reached_twice_in_a_run_is_stored_once_and_the_repeat_reported(docs, store):
    (docs / "readme.md").symlink_to(docs / "guide.md")
    report = ingest([docs, docs / "sub", docs / "guide.md"], store)
    added = [f for f in report.files if f.outcome == "added"]
    assert sorted(Path(f.path).name for f in added) == [
        "guide.md",
        "manual.pdf",
        "notes.txt",
        "page.html",
    ]
    assert store.count() == report.chunks_added == sum(f.chunks for f in added)
    repeats = {
        Path(f.path).name: f.reason
        for f in report.files
        if f.outcome == "skipped" and f.reason != HIDDEN_FOLDER
    }
    assert repeats == {
        "readme.md": f"the same file as {docs / 'guide.md'}, read once",
        "notes.txt": f"the same file as {docs / 'sub' / 'notes.txt'}, read once",
        "guide.md": f"the same file as {docs / 'guide.md'}, read once",
    }
    assert [f.outcome for f in report.files].count("skipped") == 4


def test_hidden_entries_are_reported_and_read_when_named(docs, store):
    (docs / "sub" / ".DS_Store").write_bytes(b"\x00\x01")
    report = ingest([docs], store)
    hidden = {Path(f.path).name: f.reason for f in report.files if f.outcome == "skipped"}
    assert hidden == {".hidden": HIDDEN_FOLDER, ".DS_Store": HIDDEN_FILE}
    named = ingest([docs / ".hidden"], store)
    assert outcomes(named) == {"secret.txt": "added"}


def test_a_pipe_is_skipped_unread(docs, store):
    os.mkfifo(docs / "pipe.txt")
    finished: list = []
    reading = threading.Thread(target=lambda: finished.append(ingest([docs], store)), daemon=True)
    reading.start()
    reading.join(timeout=30)
    assert finished, "ingest waited on the pipe"
    (pipe,) = [f for f in finished[0].files if Path(f.path).name == "pipe.txt"]
    assert pipe.outcome == "skipped" and pipe.reason.startswith("not a regular file")
    assert finished[0].count("added") == 4


@pytest.mark.parametrize("name", ["a..b", "192.168.0.1", "ab", "-ab", "a b"])
def test_collection_names_chroma_refuses_are_refused_first(name):
    from tools.knowledge_store import check_collection_name

    with pytest.raises(InputError, match="not valid"):
        check_collection_name(name)


def test_small_files_are_embedded_and_written_together_and_reported_in_order(
    tmp_path, store, monkeypatch
):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(6):
        (folder / f"note-{number}.txt").write_text(f"Note {number} about topic {number}.")
    (folder / "note-3.txt").write_bytes(b"\x89PNG\x00 not text")
    calls = {"embed": 0, "upsert": 0}
    real_embed, real_upsert = store.embeddings.embed_array, store._collection.upsert

    def embed(texts):
        calls["embed"] += 1
        return real_embed(texts)

    def upsert(**kwargs):
        calls["upsert"] += 1
        return real_upsert(**kwargs)

    monkeypatch.setattr(store.embeddings, "embed_array", embed)
    monkeypatch.setattr(store._collection, "upsert", upsert)
    seen = []
    report = ingest([folder], store, on_file=lambda r: seen.append(Path(r.path).name))
    assert seen == [f"note-{n}.txt" for n in range(6)]
    assert [f.outcome for f in report.files] == ["added"] * 3 + ["skipped"] + ["added"] * 2
    assert calls == {"embed": 1, "upsert": 1}
    assert store.count() == 5


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_embedding_thread_count_is_refused_with_its_name(value, monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_EMBED_THREADS", value)

    with pytest.raises(ModelConfigError, match="TEAMGRAPH_EMBED_THREADS"):
        embedding_threads()


def test_the_embedding_thread_count_is_the_setting_else_every_cpu(monkeypatch):
    monkeypatch.setenv("TEAMGRAPH_EMBED_THREADS", " 3 ")
    assert embedding_threads() == 3
    monkeypatch.delenv("TEAMGRAPH_EMBED_THREADS")
    assert embedding_threads() == (os.cpu_count() or 1)


@pytest.mark.parametrize(
    "damage", [b"not a database at all " * 200, b"SQLite format 3\0" + b"\xff" * 8000]
)
def test_a_damaged_knowledge_base_is_one_line_saying_so_and_is_left_as_it_was(
    tmp_path, docs, monkeypatch, capsys, damage
):
    from graphs.cli import main

    home = tmp_path / "home"
    (home / "chroma").mkdir(parents=True)
    database = home / "chroma" / "chroma.sqlite3"
    database.write_bytes(damage)
    monkeypatch.setenv("TEAMGRAPH_HOME", str(home))
    assert main(["ingest", str(docs)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err and "move the folder aside" in err, err
    assert database.read_bytes() == damage
