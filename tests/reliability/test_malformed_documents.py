"""Malformed documents at ingest: each is reported and skipped, the rest ingested, the index intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assistant.config import Settings
from assistant.errors import DocumentError
from assistant.ingest.loaders import load_document
from assistant.ingest.pipeline import ingest

from .index_probe import assert_consistent, indexed_files, records
from .procs import run_cli

FRONT_MATTER_KEYS = st.sampled_from(["id", "title", "topic", "codes", "effective_year", "sources", "source"])
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10), st.dates()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)

GOOD = """---
id: {id}
title: {title}
topic: test
codes: [97112]
effective_year: 2025
---
# {title}

## What this note covers
{body}
"""

BAD_FILES: dict[str, bytes] = {
    "empty.md": b"",
    "blank.txt": b"  \n\t\n",
    "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n\x00\xff garbage %%EO",
    "not-really.pdf": b"<html>this is not a pdf</html>",
    "latin1.txt": "Neuromuscular re-education, café notes, 97112 à 38 minutes".encode("latin-1"),
    "utf16.md": "# Title\n\n97112 neuromuscular re-education".encode("utf-16"),
    "broken-front-matter.md": b"---\nid: broken\ntitle: [unclosed\ncodes: {97112\n---\n# Body\n\ntext here\n",
    "unclosed-front-matter.md": b"---\nid: open\ntitle: never closed\n\n# Body\n\nsome text\n",
    "front-matter-list.md": b"---\n- just\n- a list\n---\n# Body\n\ntext\n",
    "binary.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "only-headings.md": b"# One\n\n## Two\n\n### Three\n",
}


def write_good(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(GOOD.format(id=path.stem, title=path.stem.replace("-", " ").title(), body=body), "utf-8")
    return path


@hypothesis_settings(max_examples=500, deadline=None)
@given(meta=st.dictionaries(FRONT_MATTER_KEYS, YAML_VALUES, max_size=5))
def test_front_matter_of_any_shape_is_loaded_or_reported(
    tmp_path_factory: pytest.TempPathFactory, meta: dict[str, object]
) -> None:
    from assistant.ingest.chunking import chunk_document

    path = tmp_path_factory.mktemp("fm") / "note.md"
    path.write_text(f"---\n{yaml.safe_dump(meta)}---\n# Note\n\n## Part\n\nText about 97112.\n", "utf-8")
    try:
        chunk_document(load_document(path), 900, 120)
    except DocumentError as err:
        assert "note.md" in str(err)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_loader_reports_each_malformed_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert name in str(err.value), "the message names the file"


def test_twenty_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"Filler line about 97112 neuromuscular re-education and nothing else.\n"
    path.write_bytes(line * (20 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size >= 20 * 1024 * 1024
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "huge.txt" in str(err.value) and "MB" in str(err.value)


@pytest.mark.integration
def test_malformed_files_are_skipped_and_the_rest_ingested(settings: Settings, embedder: Any) -> None:
    folder = settings.index_dir.parent / "docs"
    folder.mkdir()
    write_good(folder, "balance-note.md", "Balance training with 97112 needs a documented balance deficit.")
    first = ingest([folder], settings, embedder=embedder)
    assert first.skipped == [] and first.documents == 1
    before = records(settings)

    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    huge = folder / "huge.md"
    huge.write_bytes(b"# Huge\n\n" + b"x" * (21 * 1024 * 1024))
    write_good(folder, "gait-note.md", "Gait training is billed with 97116, not 97112.")
    second = ingest([folder], settings, embedder=embedder)

    skipped = {path.name: reason for path, reason in second.skipped}
    assert set(skipped) == {*BAD_FILES, "huge.md"}
    assert all(reason.strip() for reason in skipped.values()), "every skipped file has a reason"
    assert second.documents == 2 and second.removed == 0
    after = records(settings)
    assert set(before) <= set(after), "chunks of the good document already indexed are untouched"
    assert indexed_files(settings) == {"balance-note.md", "gait-note.md"}
    assert_consistent(settings)


@pytest.mark.integration
def test_a_file_that_turns_bad_keeps_the_index_answering(settings: Settings, embedder: Any) -> None:
    from assistant.retrieval.hybrid import HybridRetriever

    folder = settings.index_dir.parent / "docs"
    folder.mkdir()
    note = write_good(
        folder, "kx-note.md", "The KX modifier attests that therapy above the threshold is needed."
    )
    write_good(folder, "cq-note.md", "CQ marks services furnished in whole or part by a PTA.")
    ingest([folder], settings, embedder=embedder)
    note.write_bytes(b"\xff\xfe\x00garbage")  # the file is corrupted in place
    summary = ingest([folder], settings, embedder=embedder)
    assert [p.name for p, _ in summary.skipped] == ["kx-note.md"]
    hits = HybridRetriever.from_settings(settings, embedder=embedder).search("what does the CQ modifier mean")
    assert hits.passages and hits.passages[0].doc_id == "cq-note"
    assert_consistent(settings)


@pytest.mark.integration
@pytest.mark.slow
def test_cli_ingest_reports_skipped_files_and_succeeds(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_good(folder, "balance-note.md", "Balance training with 97112 needs a documented balance deficit.")
    for name in ("empty.md", "corrupt.pdf", "latin1.txt", "broken-front-matter.md"):
        (folder / name).write_bytes(BAD_FILES[name])
    proc = run_cli(["--index-dir", str(tmp_path / "index"), "ingest", "-q", str(folder)])
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 0 and "Traceback" not in output, output[-2000:]
    for name in ("empty.md", "corrupt.pdf", "latin1.txt", "broken-front-matter.md"):
        assert f"skipped {folder / name}" in output
    assert indexed_files(Settings(index_dir=tmp_path / "index")) == {"balance-note.md"}


@pytest.mark.integration
def test_a_wrongly_typed_front_matter_value_does_not_stop_the_ingest(
    settings: Settings, embedder: Any
) -> None:
    folder = settings.index_dir.parent / "docs"
    folder.mkdir()
    write_good(folder, "balance-note.md", "Balance training with 97112 needs a documented balance deficit.")
    (folder / "odd-sources.md").write_text(
        "---\ntitle: Odd\nsources: 2025\ncodes: 2025-01-01\n---\n# Odd\n\n## Part\n\nText on 97110.\n",
        "utf-8",
    )
    summary = ingest([folder], settings, embedder=embedder)
    assert "balance-note.md" in indexed_files(settings)
    assert summary.documents + len(summary.skipped) == 2
