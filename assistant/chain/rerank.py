"""Semantic similarity of candidate evidence sentences to the question.

Span vectors come from the index (embedded at ingest, see retrieval/span_vectors.py) when it knows the
span; any other is embedded once per process and cached. Scoring a question then costs its (cached)
embedding and one matrix-vector product.

Example:
    >>> scorer = SentenceScorer(embedder, known=retriever.span_vectors)             # doctest: +SKIP
    >>> scorer("which patients get 97112?", ["Stroke patients often get 97112."])  # doctest: +SKIP
    [0.71]
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from assistant.retrieval.embeddings import Embedder

Known = Callable[[list[str]], list[np.ndarray | None]]


class SentenceScorer:
    """Cosine similarity (normalised vectors: a dot product) of sentences to a question."""

    def __init__(self, embedder: Embedder, known: Known | None = None, max_cached: int = 50_000):
        self.embedder = embedder
        self.known = known
        self.max_cached = max_cached
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _embedded(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors of spans the index does not know, embedded once and kept (LRU)."""
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = dict(zip(missing, self.embedder.encode(missing), strict=True))
            with self._lock:
                self._vectors.update(fresh)
                while len(self._vectors) > self.max_cached:
                    self._vectors.popitem(last=False)
            found.update(fresh)
        return found

    def _matrix(self, texts: list[str]) -> np.ndarray:
        stored = self.known(texts) if self.known is not None else [None] * len(texts)
        others = self._embedded([t for t, v in zip(texts, stored, strict=True) if v is None])
        return np.stack([v if v is not None else others[t] for t, v in zip(texts, stored, strict=True)])

    def __call__(self, question: str, texts: list[str]) -> list[float]:
        """Similarity of each text to ``question`` (same order)."""
        if not texts:
            return []
        q = np.asarray(self.embedder.embed_query(question), dtype=np.float32)
        return [float(x) for x in self._matrix(texts) @ q]
