"""Semantic similarity of candidate evidence sentences to the question, with sentence vectors cached.

The index is fixed between ingests, so each sentence is embedded once per process; afterwards scoring a
question costs one (cached) question embedding and a few dot products.

Example:
    >>> scorer = SentenceScorer(embedder)                                     # doctest: +SKIP
    >>> scorer("which patients get 97112?", ["Stroke patients often get 97112."])  # doctest: +SKIP
    [0.71]
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from langchain_core.embeddings import Embeddings


class SentenceScorer:
    """Cosine similarity (normalised vectors: a dot product) of sentences to a question."""

    def __init__(self, embedder: Embeddings, max_cached: int = 50_000):
        self.embedder = embedder
        self.max_cached = max_cached
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _vectors_for(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embedder.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = vector
                while len(self._vectors) > self.max_cached:
                    self._vectors.popitem(last=False)
        with self._lock:
            return [self._vectors.get(t) or self.embedder.embed_documents([t])[0] for t in texts]

    def __call__(self, question: str, texts: list[str]) -> list[float]:
        """Similarity of each text to ``question`` (same order)."""
        if not texts:
            return []
        q = self.embedder.embed_query(question)
        return [float(sum(a * b for a, b in zip(q, v, strict=True))) for v in self._vectors_for(texts)]
