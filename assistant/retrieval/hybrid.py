"""Hybrid retrieval: dense (Chroma, cosine) + lexical (BM25) fused by reciprocal rank, with a code boost.

``found`` (retrieval has something relevant) is True when
- the best dense cosine similarity reaches ``settings.relevance_floor``, enough of the question's content
  words occur in the index (``relevance_min_coverage``), and the question does not ask only about
  procedure codes the index never mentions ("office visit 99213"); or
- a code/modifier asked about (e.g. a bare "G0283") is listed by a returned passage.
Otherwise the chain should abstain.
The BM25 index and a snapshot of the chunks are loaded lazily and reloaded when an ingest swaps in a
new index (pointer file mtime), so ingesting while serving keeps working.

Example:
    >>> retriever = HybridRetriever.from_settings(Settings())                  # doctest: +SKIP
    >>> result = retriever.search("can I bill 97140 and 97530 together?")       # doctest: +SKIP
    >>> result.found, result.passages[0].title                                  # doctest: +SKIP
    (True, 'Modifier 59 and the X modifiers (XE, XS, XP, XU) on therapy claims')
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.retrieval import bm25, store
from assistant.retrieval.codes import MODIFIERS, extract_codes, normalize_codes
from assistant.retrieval.embeddings import Embedder
from assistant.retrieval.snapshot import IndexSnapshot
from assistant.retrieval.types import Passage, RetrievalResult

if TYPE_CHECKING:
    import numpy as np
    from chromadb.api.models.Collection import Collection
    from langchain_core.vectorstores import VectorStore

    from assistant.config import Settings


_RESULTS_KEPT = 512  # search results kept per index version


class HybridRetriever:
    """Dense + BM25 retrieval over one Chroma collection and its BM25 index."""

    def __init__(self, settings: Settings, embedder: Embedder):
        self.settings = settings
        self.embedder = embedder
        self._lock = threading.Lock()
        self._collection: Collection | None = None
        self._snapshot: IndexSnapshot | None = None
        self._loaded_mtime: float | None = None
        self._results: OrderedDict[tuple[str, int, tuple[str, ...]], RetrievalResult] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None = None) -> HybridRetriever:
        """Nothing is opened yet: the index is read on the first search (errors surface there)."""
        return cls(settings, embedder or Embedder.from_settings(settings))

    # --- index access ---------------------------------------------------------------------------
    def _state(self) -> tuple[Collection, IndexSnapshot]:
        mtime = bm25.pointer_mtime(self.settings.index_dir)
        with self._lock:
            if self._collection is None or self._snapshot is None or mtime != self._loaded_mtime:
                if self._collection is not None and not bm25.written_by_this_process(self.settings.index_dir):
                    store.forget_embedded_client(self.settings)  # another process ingested: re-read
                collection = store.open_collection(self.settings)
                with store.store_errors(self.settings):
                    self._snapshot = IndexSnapshot.load(self.settings.index_dir, collection)
                self._collection, self._loaded_mtime = collection, mtime
                self._results.clear()  # results of the previous index
            return self._collection, self._snapshot

    def check(self) -> int:
        """Open the index now; returns its chunk count or raises IndexMissingError/StoreUnavailableError."""
        return self.chunk_count()

    def chunk_count(self) -> int:
        """Chunks in the index."""
        return len(self._state()[1].ids)

    def all_texts(self) -> list[str]:
        """The stored text of every chunk (e.g. to check that a snippet comes from the index)."""
        return list(self._state()[1].texts)

    def documents(self) -> dict[str, str]:
        """doc_id → title of every indexed document."""
        return self._state()[1].documents()

    def topics(self) -> list[str]:
        """Distinct ``topic`` values from the documents' front matter, sorted."""
        return self._state()[1].topics()

    def span_vectors(self, texts: list[str]) -> list[np.ndarray | None]:
        """Vectors embedded at ingest for these span texts (None for a span it does not know)."""
        return self._state()[1].span_vectors.get(texts)

    def vectorstore(self) -> VectorStore:
        """A ``langchain_chroma.Chroma`` over the same collection (for naive baselines)."""
        return store.langchain_vectorstore(self.settings, self.embedder)

    # --- searches -------------------------------------------------------------------------------
    def _dense(
        self, collection: Collection, snapshot: IndexSnapshot, vector: Sequence[float], k: int
    ) -> list[Passage]:
        n = min(k, len(snapshot.ids))
        if n == 0:
            return []
        with store.store_errors(self.settings):
            got = collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        ids, distances = got["ids"][0], (got["distances"] or [[]])[0]
        return [
            snapshot.passage(cid, score=1.0 - float(d), similarity=1.0 - float(d))
            for cid, d in zip(ids, distances, strict=True)
            if cid in snapshot.row
        ]

    def dense_search(self, query: str, k: int | None = None) -> list[Passage]:
        """Chroma nearest neighbours; ``score`` and ``dense_similarity`` are the cosine similarity."""
        if not query.strip():
            return []
        collection, snapshot = self._state()
        return self._dense(collection, snapshot, self.embedder.embed_query(query), k or self.settings.dense_k)

    def bm25_search(self, query: str, k: int | None = None) -> list[Passage]:
        """BM25 hits with a positive score; ``score`` is the BM25 score."""
        _, snapshot = self._state()
        hits = snapshot.bm25.search(query, k or self.settings.bm25_k)
        return [snapshot.passage(cid, score=score) for cid, score in hits if cid in snapshot.row]

    def search(self, query: str, k: int | None = None, codes: Sequence[str] = ()) -> RetrievalResult:
        """Fused top ``k`` (default ``top_k``); codes asked about (given or found in the query) boost.

        With an embedded Chroma, results are kept per index version (the same search on the same index
        gives the same result), so a repeated question or a tool's fixed guidance search costs no
        embedding or Chroma call. A Chroma server is asked every time: another host may change its
        collection, and a server that went down must be reported, not hidden behind old results.
        """
        if not query.strip():
            return RetrievalResult()
        collection, snapshot = self._state()  # one snapshot for the whole search
        key = (query, k or self.settings.top_k, tuple(codes))
        if self.settings.chroma_url:
            return self._search(collection, snapshot, query, key[1], codes)
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
        if cached is None:
            cached = self._search(collection, snapshot, query, key[1], codes)
            with self._lock:
                self._results[key] = cached
                while len(self._results) > _RESULTS_KEPT:
                    self._results.popitem(last=False)
        return replace(cached, passages=list(cached.passages))

    def _search(
        self, collection: Collection, snapshot: IndexSnapshot, query: str, k: int, codes: Sequence[str]
    ) -> RetrievalResult:
        s = self.settings
        vector = self.embedder.embed_query(query)
        dense = self._dense(collection, snapshot, vector, s.dense_k)
        lexical = [snapshot.passage(cid, score) for cid, score in snapshot.bm25.search(query, s.bm25_k)]
        wanted = set(normalize_codes([*codes, *extract_codes(query)]))
        scores: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, passage in enumerate(ranking, 1):
                scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + 1.0 / (s.rrf_k + rank)
        for cid in scores:
            scores[cid] += s.code_boost * len(wanted.intersection(snapshot.codes(cid)))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        similarity = {p.chunk_id: p.score for p in dense}
        passages = [
            snapshot.passage(cid, score=score, similarity=similarity.get(cid)) for cid, score in ranked
        ]
        best = max((p.score for p in dense), default=0.0)
        code_hit = any(wanted.intersection(p.codes) for p in passages)
        relevant = (
            best >= s.relevance_floor
            and snapshot.bm25.coverage(query) >= s.relevance_min_coverage
            and not _only_unknown_codes(query, snapshot.known_codes)
        )
        return RetrievalResult(passages=passages, best_similarity=best, found=relevant or code_hit)

    def __repr__(self) -> str:
        return f"HybridRetriever({store.describe(self.settings)!r}, collection={self.settings.collection!r})"


def _only_unknown_codes(query: str, known: frozenset[str]) -> bool:
    """The question names procedure codes and the index mentions none of them (e.g. "99213")."""
    asked = [c for c in extract_codes(query) if c not in MODIFIERS]
    return bool(asked) and not known.intersection(asked)
