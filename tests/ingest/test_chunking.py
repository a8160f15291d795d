"""Chunking: section paths, code metadata, stable content-hash ids, clean stored text."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_document

GUIDE = """---
id: modifier-guide
title: Modifier guide
topic: modifiers
codes: ["97140"]
effective_year: 2026
sources: ["fixture"]
---

# Modifier guide

## Distinct services

### Same time block

Put modifier 59 (or XU) on 97530 only when the 15-minute blocks were separate.

### Plan of care

Medicare therapy lines carry GP, GO or GN. I did 59 minutes of 97110 today.

## Long section

{long}
"""


def _doc(tmp_path: Path, long: str = "Short text.") -> Path:
    path = tmp_path / "guide.md"
    path.write_text(GUIDE.format(long=long), encoding="utf-8")
    return path


def test_section_path_and_codes_per_chunk(tmp_path: Path) -> None:
    chunks = chunk_document(load_document(_doc(tmp_path)), chunk_size=900, chunk_overlap=120)
    by_section = {c.metadata["section"]: c for c in chunks}
    assert set(by_section) == {
        "Distinct services > Same time block",
        "Distinct services > Plan of care",
        "Long section",
    }
    block = by_section["Distinct services > Same time block"]
    assert block.metadata["codes"] == "97530,59,XU,97140"  # text codes, then modifiers, then front matter
    plan = by_section["Distinct services > Plan of care"]
    assert plan.metadata["codes"] == "97110,GP,GO,GN,97140"  # "59 minutes" is not modifier 59
    meta = block.metadata
    assert (meta["doc_id"], meta["title"], meta["topic"], meta["effective_year"], meta["source"]) == (
        "modifier-guide",
        "Modifier guide",
        "modifiers",
        2026,
        "fixture",
    )
    assert meta["path"] == str(tmp_path / "guide.md")
    assert block.text.startswith("Put modifier 59") and "#" not in block.text
    assert block.embed_text == f"Modifier guide > Distinct services > Same time block\n{block.text}"


def test_long_sections_are_split_within_the_size_limit(tmp_path: Path) -> None:
    long = "\n\n".join(f"Paragraph {i} about documenting therapy minutes carefully." * 3 for i in range(30))
    chunks = chunk_document(load_document(_doc(tmp_path, long)), chunk_size=300, chunk_overlap=50)
    long_chunks = [c for c in chunks if c.metadata["section"] == "Long section"]
    assert len(long_chunks) > 5
    assert all(len(c.text) <= 300 for c in chunks)
    assert [c.metadata["chunk_index"] for c in chunks] == list(range(len(chunks)))


def test_ids_depend_on_content_only(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    first = [c.id for c in chunk_document(load_document(path), 900, 120)]
    assert first == [c.id for c in chunk_document(load_document(path), 900, 120)]
    assert len(set(first)) == len(first)
    path.write_text(path.read_text(encoding="utf-8").replace("Short text.", "Other text."), encoding="utf-8")
    second = [c.id for c in chunk_document(load_document(path), 900, 120)]
    assert first[:2] == second[:2] and first[2] != second[2]


def test_plain_text_has_no_section(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\n# not a heading in a text file\nbody", encoding="utf-8")
    (chunk,) = chunk_document(load_document(path), 900, 120)
    assert chunk.metadata["section"] == ""
    assert chunk.embed_text == f"Notes\n{chunk.text}"
