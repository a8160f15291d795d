"""Span vectors made at ingest: looked up by text, reused across ingests, swapped in with BM25."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.ingest.pipeline import ingest
from assistant.retrieval import bm25
from assistant.retrieval.embeddings import Embedder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.span_vectors import SpanVectors, span_texts

pytestmark = pytest.mark.integration

CHUNK_A = "The 8-minute rule sets units from total timed minutes. Eight minutes make one billable unit."
CHUNK_B = (
    "Modifier GP marks services under a physical therapy plan of care. "
    "It belongs on every therapy line of the claim."
)


class Recorder:
    """The real model's ``encode``, recording what it was asked to embed."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return self.embedder.encode(texts)


def test_lookup_by_text_returns_the_embedded_vector(embedder: Embedder) -> None:
    table = SpanVectors.build([CHUNK_A, CHUNK_B], embedder.encode)
    texts = span_texts([CHUNK_A, CHUNK_B])
    assert len(table) == len(texts) == 4
    found = table.get([texts[2], "a sentence no chunk has"])
    assert found[1] is None and found[0] is not None
    assert np.abs(found[0] - embedder.encode([texts[2]])[0]).max() < 2e-3  # float16 storage


def test_build_reuses_known_spans_and_drops_gone_ones(embedder: Embedder, tmp_path: Path) -> None:
    first = SpanVectors.build([CHUNK_A], embedder.encode)
    first.save(tmp_path)
    loaded = SpanVectors.load(tmp_path)
    recorder = Recorder(embedder)
    second = SpanVectors.build([CHUNK_B], recorder, previous=loaded)
    assert recorder.seen == span_texts([CHUNK_B])
    recorder.seen.clear()
    third = SpanVectors.build([CHUNK_A, CHUNK_B], recorder, previous=second)
    assert recorder.seen == span_texts([CHUNK_A])  # CHUNK_B's spans came from `second`
    assert len(third) == 4 and len(second) == 2


def test_missing_or_damaged_table_is_empty(tmp_path: Path) -> None:
    assert len(SpanVectors.load(None)) == len(SpanVectors.load(tmp_path)) == 0
    (tmp_path / "span_digests.npy").write_bytes(b"not numpy")
    (tmp_path / "span_vectors.npy").write_bytes(b"")
    assert SpanVectors.load(tmp_path).get(["anything at all here"]) == [None]


def test_ingest_embeds_spans_once_and_the_retriever_serves_them(
    embedder: Embedder, settings: Settings, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "units.md").write_text(f"# Units\n\n## Rule\n\n{CHUNK_A}\n", encoding="utf-8")
    ingest([docs], settings, embedder=embedder)
    table = SpanVectors.load(bm25.current_folder(settings.index_dir))
    assert len(table) > 0
    retriever = HybridRetriever.from_settings(settings, embedder)
    assert all(v is not None for v in retriever.span_vectors(span_texts([CHUNK_A])))
    section = str(retriever._state()[1].metadatas[0]["section"])
    assert section and retriever.span_vectors([section])[0] is not None  # section titles too

    class Counting(Embedder):
        calls = 0

        def encode(self, texts: list[str]) -> np.ndarray:
            Counting.calls += 1
            return super().encode(texts)

    counting = Counting(embedder.model_path, cache_dir=embedder.cache_dir)
    counting._model = embedder.model
    ingest([docs], settings, embedder=counting)  # unchanged: no span is embedded again
    assert Counting.calls == 0
    assert len(SpanVectors.load(bm25.current_folder(settings.index_dir))) == len(table)
