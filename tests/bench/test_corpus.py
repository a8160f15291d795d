"""The synthetic scale corpus: deterministic, realistic chunk lengths, one chunk per section."""

from __future__ import annotations

import random
from pathlib import Path

from assistant.bench.corpus import SECTIONS_PER_DOC, chunk_lengths, document_text, write_corpus
from assistant.bench.scale import corpus_texts
from assistant.config import Settings


def test_documents_are_the_same_in_every_run_and_differ_from_each_other() -> None:
    assert document_text(7) == document_text(7)
    assert document_text(7) != document_text(8)


def test_chunk_lengths_stay_within_the_shipped_kb_range() -> None:
    lengths = chunk_lengths(random.Random(1), 2000)
    assert min(lengths) >= 150 and max(lengths) <= 880
    assert 450 <= sum(lengths) / len(lengths) <= 600


def test_the_ingest_chunker_makes_exactly_the_requested_number_of_chunks(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus", chunks=20)
    assert len(list(folder.glob("*.md"))) == 3  # 8 + 8 + 4 sections
    texts = corpus_texts(folder, Settings(index_dir=tmp_path / "index"))
    chunks = [t for t in texts if t.startswith("Synthetic clinic manual")]  # "title > section" + text
    assert texts[:20] == chunks and len(set(chunks)) == 20
    assert len(texts) > 20 and all(t in " ".join(chunks) for t in texts[20:])  # then their spans


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    small = write_corpus(tmp_path / "small", chunks=2 * SECTIONS_PER_DOC)
    large = write_corpus(tmp_path / "large", chunks=5 * SECTIONS_PER_DOC)
    for path in small.glob("*.md"):
        assert path.read_text() == (large / path.name).read_text()
