"""Chunk and span vectors kept on disk between bench runs, so the 100k-chunk corpus is embedded once.

``CachedEmbedder`` is an ``Embedder`` whose ``encode``/``embed_documents`` look each text up by its
sha256 in a folder of ``.npz`` shards (one per embedded batch, written as soon as the batch is done, so an
interrupted run keeps its progress) and embeds only the misses with the real model.

Example:
    >>> emb = CachedEmbedder(Embedder(), Path(".cache/bench/vectors"))   # doctest: +SKIP
    >>> emb.embed_documents(["text"]) == emb.embed_documents(["text"])  # second call: from disk
    True
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

from assistant.retrieval.embeddings import Embedder


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def model_tag(model_path: Path) -> str:
    """A folder-safe name for the vectors of one model."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(model_path).strip("/"))[-80:]


class CachedEmbedder(Embedder):
    """An ``Embedder`` that stores document vectors on disk and reuses them in later runs."""

    def __init__(self, inner: Embedder, cache_dir: Path):
        super().__init__(inner.model_path, inner.batch_size, 0, inner.backend, inner.cache_dir)
        self.inner = inner  # embeds the misses, so the model is loaded once
        self.cache_dir = Path(cache_dir) / model_tag(self.model_path)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0
        self.embed_seconds = 0.0
        self._rows: dict[str, np.ndarray] = {}
        for shard in sorted(self.cache_dir.glob("shard-*.npz")):
            with np.load(shard) as data:
                self._rows.update(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
        self._shards = len(list(self.cache_dir.glob("shard-*.npz")))

    def __len__(self) -> int:
        return len(self._rows)

    def missing(self, texts: list[str]) -> list[str]:
        """The texts (first occurrence each) that have no stored vector yet."""
        seen: set[str] = set()
        out = []
        for text in texts:
            key = _digest(text)
            if key not in self._rows and key not in seen:
                seen.add(key)
                out.append(text)
        return out

    def _store(self, texts: list[str], vectors: np.ndarray) -> None:
        keys = np.array([_digest(t) for t in texts], dtype="U32")
        matrix = np.asarray(vectors, dtype=np.float32)
        tmp = self.cache_dir / f"shard-{self._shards:06d}.tmp.npz"
        np.savez(tmp, keys=keys, vectors=matrix)
        tmp.rename(self.cache_dir / f"shard-{self._shards:06d}.npz")
        self._shards += 1
        self._rows.update(zip((str(k) for k in keys), matrix, strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts`` (chunks, and span texts at ingest): stored ones from disk, the rest
        embedded now (in batches of 2,048, each stored as it is done)."""
        import time

        todo = self.missing(list(texts))
        for start in range(0, len(todo), 2048):
            batch = todo[start : start + 2048]
            started = time.perf_counter()
            self._store(batch, self.inner.encode(batch))
            self.embed_seconds += time.perf_counter() - started
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[_digest(t)] for t in texts]).astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors of ``texts`` as lists (what Chroma is given), through the disk cache."""
        return self.encode(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Questions are not cached on disk: the wrapped Embedder answers."""
        return self.inner.embed_query(text)

    def fill(self, texts: list[str]) -> int:
        """Embed every missing text (one shard per 2,048); returns how many were embedded."""
        todo = self.missing(texts)
        self.encode(todo)
        return len(todo)
