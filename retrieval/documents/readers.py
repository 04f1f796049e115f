"""Read a business document into titled sections, or say clearly why it cannot be read.

Why not llama-index readers: `llama-index-core` alone pulls ~25 packages (nltk, SQLAlchemy,
pillow, …) and nltk data lookups at run time, for what is here a few hundred lines of parsing we
can test. Markdown sections follow headings; HTML sections follow h1–h3 and drop script/style;
PDF sections are pages (pypdf, pure Python).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from retrieval.errors import DocumentTooLargeError, EmptyDocumentError, UnreadableDocumentError

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True)
class Document:
    path: Path
    title: str
    sections: tuple[Section, ...]


def read_document(path: Path, *, max_bytes: int) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableDocumentError(
            f"{path}: unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED)}"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLargeError(
                f"{path}: {size / 1_048_576:.1f} MB is over the {max_bytes / 1_048_576:.1f} MB limit "
                "(MERCURIOS_MAX_DOCUMENT_BYTES); split the document"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    sections: list[Section]
    if suffix == ".pdf":
        sections = _pdf_sections(path, raw)
        title = path.stem
    else:
        text = _decode(path, raw)
        if suffix in (".html", ".htm"):
            title, sections = _html_sections(text)
        else:
            title, sections = _markdown_sections(text)
        title = title or path.stem
    kept = tuple(s for s in sections if s.text.strip())
    if not kept:
        raise EmptyDocumentError(f"{path}: the document has no text to index")
    return Document(path=path, title=title, sections=kept)


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise UnreadableDocumentError(f"{path}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc


def _markdown_sections(text: str) -> tuple[str, list[Section]]:
    title = ""
    heading = ""
    buf: list[str] = []
    sections: list[Section] = []
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            sections.append(Section(heading, "\n".join(buf).strip()))
            buf = []
            heading = m.group(2).strip()
            if not title and len(m.group(1)) == 1:
                title = heading
        else:
            buf.append(line)
    sections.append(Section(heading, "\n".join(buf).strip()))
    return title, sections


class _HtmlSections(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _HEADINGS = frozenset({"h1", "h2", "h3"})
    _BLOCKS = frozenset({"p", "li", "div", "br", "tr", "section", "article", "h4", "h5", "h6", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.sections: list[Section] = []
        self._heading = ""
        self._buf: list[str] = []
        self._head_buf: list[str] | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._HEADINGS:
            self._flush()
            self._head_buf = []
        elif tag in self._BLOCKS:
            self._buf.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self._HEADINGS and self._head_buf is not None:
            self._heading = " ".join("".join(self._head_buf).split())
            if tag == "h1" and not self.title:
                self.title = self._heading
            self._head_buf = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title = self.title or data.strip()
        elif self._head_buf is not None:
            self._head_buf.append(data)
        else:
            self._buf.append(data)

    def _flush(self) -> None:
        lines = [" ".join(line.split()) for line in "".join(self._buf).split("\n")]
        self.sections.append(Section(self._heading, "\n\n".join(line for line in lines if line)))
        self._buf = []

    def close(self) -> None:
        super().close()
        self._flush()


def _html_sections(text: str) -> tuple[str, list[Section]]:
    parser = _HtmlSections()
    parser.feed(text)
    parser.close()
    return parser.title, parser.sections


def _pdf_sections(path: Path, raw: bytes) -> list[Section]:
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise UnreadableDocumentError(f"{path}: reading PDF needs the pypdf package") from exc
    try:
        reader = PdfReader(io.BytesIO(raw))
        return [Section(f"page {n}", page.extract_text() or "") for n, page in enumerate(reader.pages, 1)]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableDocumentError(f"{path}: not a readable PDF ({exc})") from exc
