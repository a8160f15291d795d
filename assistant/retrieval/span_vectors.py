"""Vectors of every span (sentence, table, list) and section title of the indexed chunks, made at ingest.

The composer scores candidate spans against the question; with their vectors made at ingest, a
question costs one embedding instead of one per candidate sentence. Vectors are keyed by a digest of the
span's shown text (so an unchanged span is never embedded twice, whatever chunk it sits in), kept as
float16 in a sorted table, and saved in the text-index folder beside BM25 (swapped in with it). A span
that is not in the table (a document ingested before this existed, a changed splitter) is embedded
when first scored, as before.

Example:
    >>> table = SpanVectors.build(["Units follow the 8-minute rule."], embed)     # doctest: +SKIP
    >>> table.get(["Units follow the 8-minute rule.", "unseen"])[1] is None       # doctest: +SKIP
    True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from assistant.retrieval.spans import spans

DIGESTS_FILE, VECTORS_FILE = "span_digests.npy", "span_vectors.npy"
_DIGEST_BYTES = 16


def digest(text: str) -> bytes:
    """A 16-byte key of a span's shown text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST_BYTES).digest()


def span_texts(chunk_texts: Iterable[str], titles: Iterable[str] = ()) -> list[str]:
    """The distinct shown texts of every span of ``chunk_texts`` (what the composer scores), then the
    section ``titles`` (the composer also compares the question with them)."""
    shown = (span.shown for text in chunk_texts for span in spans(text))
    return list(dict.fromkeys([*shown, *(t for t in titles if t)]))


class SpanVectors:
    """Sorted span digests and their unit vectors (float16): ``get`` is a binary search per text."""

    def __init__(self, digests: np.ndarray, vectors: np.ndarray):
        self.digests = digests
        self.vectors = vectors

    @classmethod
    def empty(cls) -> SpanVectors:
        """A table that knows no span."""
        return cls(np.zeros(0, dtype=f"S{_DIGEST_BYTES}"), np.zeros((0, 0), dtype=np.float16))

    def __len__(self) -> int:
        return len(self.digests)

    def _rows(self, keys: list[bytes]) -> np.ndarray:
        """Row of each key, or -1."""
        if not len(self.digests) or not keys:
            return np.full(len(keys), -1)
        wanted = np.array(keys, dtype=f"S{_DIGEST_BYTES}")
        at = np.minimum(np.searchsorted(self.digests, wanted), len(self.digests) - 1)
        return np.where(self.digests[at] == wanted, at, -1)

    def get(self, texts: list[str]) -> list[np.ndarray | None]:
        """The float32 vector of each text, None for a span the table does not know."""
        rows = self._rows([digest(t) for t in texts])
        return [self.vectors[r].astype(np.float32) if r >= 0 else None for r in rows]

    @classmethod
    def build(
        cls,
        chunk_texts: Iterable[str],
        embed: Callable[[list[str]], np.ndarray],
        previous: SpanVectors | None = None,
        titles: Iterable[str] = (),
    ) -> SpanVectors:
        """Vectors for every span of ``chunk_texts`` and every section title: reused from ``previous``
        when known, else embedded."""
        texts = span_texts(chunk_texts, titles)
        if not texts:
            return cls.empty()
        keys = [digest(t) for t in texts]
        old = previous._rows(keys) if previous is not None else np.full(len(keys), -1)
        fresh, kept = np.flatnonzero(old < 0), np.flatnonzero(old >= 0)
        made = embed([texts[i] for i in fresh]) if len(fresh) else None
        width = made.shape[1] if made is not None else previous.vectors.shape[1]  # type: ignore[union-attr]
        matrix = np.empty((len(keys), width), dtype=np.float16)
        if made is not None:
            matrix[fresh] = made
        if previous is not None and len(kept):
            matrix[kept] = previous.vectors[old[kept]]
        digests = np.array(keys, dtype=f"S{_DIGEST_BYTES}")
        order = np.argsort(digests)
        return cls(digests[order], matrix[order])

    def save(self, folder: Path) -> None:
        """Write both arrays into ``folder`` (a new text-index folder, not yet pointed at)."""
        np.save(folder / DIGESTS_FILE, self.digests)
        np.save(folder / VECTORS_FILE, self.vectors)

    @classmethod
    def load(cls, folder: Path | None) -> SpanVectors:
        """The table saved in ``folder`` (vectors memory-mapped); empty when there is none."""
        if folder is None or not (folder / DIGESTS_FILE).is_file():
            return cls.empty()
        try:
            return cls(np.load(folder / DIGESTS_FILE), np.load(folder / VECTORS_FILE, mmap_mode="r"))
        except (OSError, ValueError):
            return cls.empty()  # a damaged table only costs speed: spans are embedded when scored
