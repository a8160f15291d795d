"""Scale: build an index of a synthetic corpus of N chunks and time questions against it.

The corpus (``corpus.py``) and its chunk vectors (``vector_cache.py``) live in a cache folder between
runs, so only the first run pays for embedding; ``build_s`` is the real ingest pipeline over the
corpus with the vectors coming from that cache (reading, chunking, Chroma upserts, BM25 index).
``embed_s`` is the embedding time of the chunks and spans not cached yet (0 once cached).
``query_p95_ms`` is the warm end-to-end ``ask`` p95 on that index, comparable with the shipped-KB
``p95_ms``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.bench.corpus import write_corpus
from assistant.bench.latency import ask_latencies
from assistant.bench.measure import percentile, timed_s
from assistant.bench.vector_cache import CachedEmbedder

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.retrieval.embeddings import Embedder


def corpus_texts(folder: Path, settings: Settings) -> list[str]:
    """Every text ingest embeds for ``folder``: each chunk's embedding text, then its spans' texts."""
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loaders import load_document
    from assistant.ingest.pipeline import discover
    from assistant.retrieval.span_vectors import span_texts

    files, _ = discover([folder])
    chunks = [
        chunk
        for path in files
        for chunk in chunk_document(load_document(path), settings.chunk_size, settings.chunk_overlap)
    ]
    titles = (str(c.metadata.get("section", "")) for c in chunks)
    return [c.embed_text for c in chunks] + span_texts((c.text for c in chunks), titles)


def query_p95_ms(settings: Settings, questions: Sequence[str]) -> float:
    """p95 milliseconds of a warm ``Assistant.ask`` over ``questions`` on the index of ``settings``.

    Measured exactly like the shipped-KB ``p95_ms`` (a fresh Embedder, so no question is cached).
    """
    from assistant.retrieval.embeddings import Embedder

    embedder = Embedder.from_settings(settings)
    return round(percentile(ask_latencies(settings, embedder, questions), 95), 2)


def scale_point(
    size: int,
    settings: Settings,
    cache_dir: Path,
    embedder: Embedder,
    questions: Sequence[str],
    embed_missing: bool = True,
) -> dict[str, Any]:
    """Build time and query p95 at ``size`` chunks, or ``{"skipped": reason}``."""
    from assistant.ingest.pipeline import ingest

    folder = write_corpus(cache_dir / "corpus" / str(size), size)
    cached = CachedEmbedder(embedder, cache_dir / "vectors")
    texts = corpus_texts(folder, settings)
    missing = len(cached.missing(texts))
    if missing and not embed_missing:
        return {"skipped": f"{missing} chunk/span vectors not cached yet (the full bench embeds them)"}
    _, embed_s = timed_s(lambda: cached.fill(texts))
    index_dir = Path(tempfile.mkdtemp(prefix=f"bench-scale-{size}-", dir=cache_dir))
    try:
        at_size = settings.model_copy(update={"index_dir": index_dir})
        built, build_s = timed_s(lambda: ingest([folder], at_size, embedder=cached, reset=True))
        return {
            "chunks": built.chunks,
            "build_s": round(build_s, 2),
            "embed_s": round(embed_s, 1) if missing else 0.0,
            "query_p95_ms": query_p95_ms(at_size, questions),
        }
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)


def scale_report(
    sizes: Sequence[int],
    settings: Settings,
    cache_dir: Path,
    embedder: Embedder,
    questions: Sequence[str],
    embed_missing: bool,
) -> dict[str, Any]:
    """``{size: scale_point(...)}`` for each size (JSON-ready string keys); a failed point records its error
    and the others still run, so one broken size does not lose the rest of a long run."""
    points: dict[str, Any] = {}
    for size in sizes:
        try:
            points[str(size)] = scale_point(size, settings, cache_dir, embedder, questions, embed_missing)
        except Exception as err:  # reported in the result and the table, never hidden
            points[str(size)] = {"error": f"{type(err).__name__}: {err}"[:300]}
    return points
