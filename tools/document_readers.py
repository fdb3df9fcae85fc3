"""Read a file into text sections (PDF pages, Markdown sections, HTML, plain text).

Unreadable files raise :class:`UnreadableFile` with the reason, so ingestion can skip
them and report why.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path

logging.getLogger("pypdf").setLevel(logging.ERROR)

PDF = {".pdf"}
MARKDOWN = {".md", ".markdown"}
HTML = {".html", ".htm"}
TEXT = {".txt", ".text", ".rst", ".csv", ".json", ".py", ".log", ""}
SUPPORTED = PDF | MARKDOWN | HTML | TEXT
SNIFF_BYTES = 8192


class UnreadableFile(Exception):
    """The file cannot be ingested; the message says why."""


@dataclass(frozen=True)
class Section:
    """Text with where it sits in its file (``page 3``, a heading path, or "")."""

    text: str
    location: str = ""


MARKED = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and the encodings they announce (Notepad's "Unicode" is UTF-16)."""


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for mark, encoding in MARKED:
        if raw.startswith(mark):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableFile(f"not {encoding.upper()} text, though it says so") from None
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise UnreadableFile("binary file (not text)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableFile("binary file (not UTF-8 or Windows-1252 text)") from None


def _pdf_sections(path: Path) -> list[Section]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("encrypted PDF (needs a password)")
        return [
            Section(page.extract_text() or "", f"page {number}")
            for number, page in enumerate(reader.pages, start=1)
        ]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableFile(f"corrupt PDF ({type(error).__name__}: {error})") from None
    except Exception as error:
        if "crypt" in str(error).lower() or "password" in str(error).lower():
            raise UnreadableFile(f"encrypted PDF ({error})") from None
        raise UnreadableFile(f"corrupt PDF ({type(error).__name__}: {error})") from None


def _markdown_sections(path: Path) -> list[Section]:
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter(
        [("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=False
    )
    return [
        Section(doc.page_content, " > ".join(str(v) for v in doc.metadata.values()))
        for doc in splitter.split_text(_read_text(path))
    ]


def _html_sections(path: Path) -> list[Section]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_text(path), "html.parser")
    for hidden in soup(["script", "style", "noscript"]):
        hidden.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    return [Section(soup.get_text("\n", strip=True), title)]


def load_sections(path: Path) -> list[Section]:
    """Sections of text of ``path``; raises UnreadableFile with the reason."""
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size == 0:
            raise UnreadableFile("empty file")
        if suffix in PDF:
            sections = _pdf_sections(path)
        elif suffix in MARKDOWN:
            sections = _markdown_sections(path)
        elif suffix in HTML:
            sections = _html_sections(path)
        else:
            sections = [Section(_read_text(path))]
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror or error})") from None
    sections = [s for s in sections if s.text.strip()]
    if not sections:
        raise UnreadableFile("no text found (empty, or a scanned PDF without a text layer)")
    return sections
