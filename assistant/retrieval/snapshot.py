"""An in-memory snapshot of the indexed chunks (text, metadata), the BM25 index and the span vectors.

The retriever loads one when it first searches and again whenever an ingest swaps in a new BM25 index,
so passages found by BM25 get their text and metadata without another Chroma call. Vectors are not
read: an embedded Chroma written by another process (an ``ingest`` while the UI serves) cannot return
the new records' vectors until it is reopened, while documents and metadata read fine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.retrieval import store
from assistant.retrieval.bm25 import BM25Index, current_folder
from assistant.retrieval.codes import split_codes
from assistant.retrieval.embeddings import embedding_text
from assistant.retrieval.span_vectors import SpanVectors
from assistant.retrieval.types import Passage

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


@dataclass
class IndexSnapshot:
    """Every chunk of the collection, by row, with the BM25 index built over the same chunks."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    bm25: BM25Index
    span_vectors: SpanVectors = field(default_factory=SpanVectors.empty)

    def __post_init__(self) -> None:
        self.row = {cid: i for i, cid in enumerate(self.ids)}
        self.known_codes = frozenset(c for m in self.metadatas for c in split_codes(str(m.get("codes", ""))))

    @classmethod
    def load(cls, index_dir: Path, collection: Collection) -> IndexSnapshot:
        """Read the collection and the BM25 index (built on the fly when the BM25 files are missing)."""
        ids, texts, metadatas = store.read_all(collection)
        folder = current_folder(index_dir)
        index = BM25Index.load(index_dir)
        span_vectors = SpanVectors.load(folder)
        if index is None or set(index.ids) != set(ids):
            span_vectors = SpanVectors.empty()
            index = BM25Index.build(
                ids,
                [
                    embedding_text(str(m["title"]), str(m["section"]), t)
                    for m, t in zip(metadatas, texts, strict=True)
                ],
            )
        return cls(ids, texts, metadatas, index, span_vectors)

    def codes(self, chunk_id: str) -> tuple[str, ...]:
        """Codes and modifiers listed in a chunk's metadata."""
        return split_codes(str(self.metadatas[self.row[chunk_id]].get("codes", "")))

    def passage(self, chunk_id: str, score: float, similarity: float | None = None) -> Passage:
        """The chunk as a Passage with the given scores."""
        i = self.row[chunk_id]
        meta = self.metadatas[i]
        return Passage(
            chunk_id=chunk_id,
            doc_id=str(meta.get("doc_id", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            source=str(meta.get("source", "")),
            text=self.texts[i],
            score=score,
            dense_similarity=similarity,
            codes=split_codes(str(meta.get("codes", ""))),
        )

    def documents(self) -> dict[str, str]:
        """doc_id → title."""
        return {str(m.get("doc_id", "")): str(m.get("title", "")) for m in self.metadatas}

    def topics(self) -> list[str]:
        """Distinct non-empty topics (worked out once per snapshot)."""
        return list(self._topics)

    @functools.cached_property
    def _topics(self) -> tuple[str, ...]:
        return tuple(sorted({str(m.get("topic", "")) for m in self.metadatas} - {""}))
