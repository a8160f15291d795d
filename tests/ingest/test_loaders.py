"""Loaders: metadata from front matter or the file itself, visible HTML text only, clear skip reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.ingest.loaders import load_document

from .samples import HIDDEN_WORD, write_samples


def test_markdown_front_matter_becomes_metadata(tmp_path: Path) -> None:
    doc = load_document(write_samples(tmp_path)["md"])
    assert (doc.doc_id, doc.title) == ("seating-checklist", "Wheelchair seating assessment checklist")
    assert doc.metadata["topic"] == "clinic-procedures"
    assert doc.metadata["effective_year"] == 2026
    assert doc.metadata["codes"] == ["97542"]
    assert doc.metadata["source"] == "Test fixture written by tests/ingest/samples.py"
    assert not doc.body.lstrip().startswith("---")


def test_markdown_without_front_matter_uses_stem_and_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "gait-notes.md"
    path.write_text("Intro line.\n\n## Gait training notes\n\nWalk with the patient.\n", encoding="utf-8")
    doc = load_document(path)
    assert (doc.doc_id, doc.title) == ("gait-notes", "Gait training notes")
    assert doc.metadata["source"] == "gait-notes.md"
    assert doc.metadata["effective_year"] == 0 and doc.metadata["codes"] == []


def test_text_file_title_is_its_first_line(tmp_path: Path) -> None:
    doc = load_document(write_samples(tmp_path)["txt"])
    assert (doc.doc_id, doc.title, doc.markdown) == (
        "aquatic-pool-rules",
        "Aquatic therapy pool safety rules",
        False,
    )


def test_html_keeps_headings_and_drops_hidden_text(tmp_path: Path) -> None:
    doc = load_document(write_samples(tmp_path)["html"])
    assert doc.title == "Front desk copay collection procedure"
    assert "## When to collect the copay" in doc.body
    assert "Collect the copay at check-in" in doc.body
    assert HIDDEN_WORD not in doc.body


def test_pdf_text_is_extracted_per_page(tmp_path: Path) -> None:
    doc = load_document(write_samples(tmp_path)["pdf"])
    assert doc.title == "Vestibular rehabilitation home exercise handout"
    assert "## Page 1" in doc.body
    assert "gaze stabilization exercise three times a day" in doc.body


def test_file_hash_changes_with_the_content(tmp_path: Path) -> None:
    path = write_samples(tmp_path)["txt"]
    first = load_document(path).file_hash
    path.write_text(path.read_text(encoding="utf-8") + "One more rule.\n", encoding="utf-8")
    assert load_document(path).file_hash != first


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b" \n\t\n", "empty"),
        ("only-heading.md", b"# Title only\n", "no text"),
        ("corrupt.pdf", b"%PDF-1.7\n1 0 obj garbage", "not a readable PDF"),
        ("latin1.md", "r\xe9sum\xe9 of 97112".encode("latin-1"), "UTF-8"),
        ("binary.txt", b"abc\x00\x01\x02def", "binary"),
        ("unclosed.md", b"---\nid: x\n# no end\n", "never closed"),
        ("bad-yaml.md", b"---\nid: [x\n---\nbody\n", "YAML"),
        ("list-yaml.md", b"---\n- a\n- b\n---\nbody\n", "mapping"),
        ("slides.pptx", b"PK\x03\x04", "unsupported"),
    ],
)
def test_bad_files_raise_document_error_with_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as info:
        load_document(path)
    assert name in str(info.value)


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("therapy " * 400, encoding="utf-8")
    with pytest.raises(DocumentError, match="over the"):
        load_document(path, max_bytes=1000)
    assert load_document(path, max_bytes=10_000).doc_id == "big"
