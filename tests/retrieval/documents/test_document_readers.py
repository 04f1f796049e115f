"""Reading business documents: sections and titles, and clear errors for files we cannot index."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from retrieval.documents.chunker import chunk_sections
from retrieval.documents.readers import Section, read_document
from retrieval.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    UnreadableDocumentError,
)

MB = 1_048_576


def test_markdown_sections_follow_headings_and_the_title_is_the_h1(tmp_path: Path) -> None:
    doc = tmp_path / "policy.md"
    doc.write_text("# Returns\n\nintro\n\n## Exchanges\n\nwithin 30 days\n", encoding="utf-8")
    read = read_document(doc, max_bytes=MB)
    assert read.title == "Returns"
    assert [(s.heading, s.text) for s in read.sections] == [
        ("Returns", "intro"),
        ("Exchanges", "within 30 days"),
    ]


def test_html_drops_scripts_and_styles_and_splits_at_headings(tmp_path: Path) -> None:
    doc = tmp_path / "guide.html"
    doc.write_text(
        "<html><head><title>Guide</title><style>p{}</style></head><body><h1>Guide</h1>"
        "<h2>Hours</h2><p>Open 10&ndash;20.</p><script>track()</script>"
        "<h2>Parking</h2><p>Free.</p></body></html>",
        encoding="utf-8",
    )
    read = read_document(doc, max_bytes=MB)
    assert read.title == "Guide"
    assert [(s.heading, s.text) for s in read.sections] == [("Hours", "Open 10–20."), ("Parking", "Free.")]


def test_pdf_pages_become_sections(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    blank = tmp_path / "blank.pdf"
    with blank.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(EmptyDocumentError, match="no text"):
        read_document(blank, max_bytes=MB)  # a scanned/blank PDF has no text layer


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("empty.md", b"", EmptyDocumentError, "no text"),
        ("blank.md", b"# Title only\n\n   \n", EmptyDocumentError, "no text"),
        ("latin1.md", "Größe".encode("latin-1"), UnreadableDocumentError, "not UTF-8"),
        ("binary.md", b"\x00\x01\x02binary", UnreadableDocumentError, "binary"),
        ("broken.pdf", b"%PDF-1.7 this is not a pdf", UnreadableDocumentError, "PDF"),
        ("sheet.xlsx", b"PK..", UnreadableDocumentError, "unsupported file type"),
    ],
)
def test_bad_documents_are_refused_with_the_reason(
    tmp_path: Path, name: str, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        read_document(path, max_bytes=MB)
    assert name in str(info.value)


def test_oversized_documents_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("# Big\n" + "x" * 3000, encoding="utf-8")
    with pytest.raises(DocumentTooLargeError, match="over the"):
        read_document(path, max_bytes=1000)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match="cannot read"):
        read_document(tmp_path / "gone.md", max_bytes=MB)


def test_chunks_overlap_and_never_cross_sections() -> None:
    paras = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(8))
    chunks = chunk_sections((Section("A", paras), Section("B", "short")), max_chars=500, overlap=100)
    a = [c for c in chunks if c.heading == "A"]
    assert len(a) > 2 and all(len(c.text) <= 500 for c in a)
    for prev, nxt in itertools.pairwise(a):
        assert nxt.text[:40] in prev.text  # the next chunk starts with the tail of the previous one
    assert chunks[-1].heading == "B" and chunks[-1].text == "short"
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_a_long_paragraph_is_cut_at_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    chunks = chunk_sections((Section("", text),), max_chars=300, overlap=50)
    assert len(chunks) > 3 and all(len(c.text) <= 300 for c in chunks)
    assert "Sentence number 59 is here." in chunks[-1].text
