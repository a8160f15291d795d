"""The embedding floor: how long embedding one question alone takes, the lower bound of a dense query."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from assistant.bench.measure import time_ms
from assistant.retrieval.embeddings import Embedder


def embedding_floor_ms(embedder: Embedder, questions: Sequence[str], reps: int = 1) -> float:
    """Median milliseconds of ``embed_query`` over ``questions`` (``embedder`` must not cache queries).

    Run it before the latency phase: its warm-up pass leaves every question length warm for both chains.
    """
    if embedder.cache_size > 0:
        raise ValueError("the floor needs an Embedder with cache_size=0, or it measures the cache")
    # Untimed pass first: loads the model, and torch runs a new input length slowly the first time it
    # sees it (process-wide), which would otherwise favour whichever chain is timed later.
    for question in questions:
        embedder.embed_query(question)
    times = time_ms(embedder.embed_query, [q for _ in range(reps) for q in questions])
    return round(statistics.median(times), 2)
