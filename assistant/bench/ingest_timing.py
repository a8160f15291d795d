"""Ingest timing: a full ingest of the shipped knowledge base into an empty index, then a second run
over the unchanged files (which must embed nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.bench.measure import timed_s

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.retrieval.embeddings import Embedder


def ingest_report(paths: Sequence[Path], settings: Settings, embedder: Embedder) -> dict[str, float | int]:
    """Seconds of the full and the unchanged ingest, their ratio, chunks and chunks per second.

    ``settings.index_dir`` should be an empty folder; it holds the knowledge-base index afterwards.
    """
    from assistant.ingest.pipeline import ingest

    embedder.embed_query("warm-up")  # model load is not ingest work: the chat server loads it once
    full, full_s = timed_s(lambda: ingest(paths, settings, embedder=embedder, reset=True))
    again, again_s = timed_s(lambda: ingest(paths, settings, embedder=embedder))
    if again.embedded:
        raise RuntimeError(f"re-ingest of unchanged files embedded {again.embedded} chunks")
    return {
        "kb_documents": full.documents,
        "kb_chunks": full.chunks,
        "ingest_full_s": round(full_s, 3),
        "ingest_unchanged_s": round(again_s, 3),
        "ingest_unchanged_ratio": round(again_s / full_s, 4) if full_s else 0.0,
        "chunks_per_s": round(full.chunks / full_s, 1) if full_s else 0.0,
    }
