"""Baselines scored in the same run as the assistant, on the same cases.

Each baseline only retrieves: its answer is the text of its top passage, it runs no tool and never
abstains. Comparing them with the full assistant shows what hybrid retrieval, the tools and the
composer add.

- ``bm25``: the lexical half of the hybrid retriever alone.
- ``dense``: the dense (Chroma + sentence-transformers) half alone.
- ``naive``: a plain LangChain RAG step, ``langchain_chroma.Chroma.similarity_search`` top-k, answer =
  the top chunk.

Example (needs a built index):
    >>> baselines = build_baselines(Settings())           # doctest: +SKIP
    >>> baselines[0].predict(case).ranked_doc_ids[:3]     # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from eval.dataset import EvalCase
from eval.metrics import Prediction

if TYPE_CHECKING:
    from assistant.config import Settings

BASELINE_NAMES: tuple[str, ...] = ("bm25", "dense", "naive")
BASELINE_LABELS: dict[str, str] = {
    "bm25": "BM25 only",
    "dense": "dense only",
    "naive": "naive LangChain (Chroma top-k)",
}

# (doc_id, text) pairs, best first
Search = Callable[[str, int], Sequence[tuple[str, str]]]


@dataclass
class RetrievalBaseline:
    """A retrieval-only system: ranked passages, answer = the top passage's text."""

    name: str
    search: Search
    k: int = 5

    def predict(self, case: EvalCase) -> Prediction:
        """Retrieve for the question alone (no history: a naive system does not condense)."""
        start = time.perf_counter()
        try:
            hits = list(self.search(case.question, self.k))
        except AssistantError as err:
            return Prediction(answer="", error=str(err), latency_ms=_ms(start))
        doc_ids = [doc_id for doc_id, _ in hits]
        return Prediction(
            answer=hits[0][1] if hits else "",
            ranked_doc_ids=doc_ids,
            cited_doc_ids=doc_ids[:1],
            latency_ms=_ms(start),
        )


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def _naive_search(store: Any) -> Search:
    """LangChain's plain similarity search: Documents → (doc_id, text)."""

    def search(query: str, k: int) -> list[tuple[str, str]]:
        docs = store.similarity_search(query, k=k)
        return [(str(d.metadata.get("doc_id", "")), d.page_content) for d in docs]

    return search


def build_baselines(
    settings: Settings, embedder: Any | None = None, names: Sequence[str] = BASELINE_NAMES, k: int = 5
) -> list[RetrievalBaseline]:
    """The requested baselines over the index of ``settings`` (heavy imports happen here)."""
    unknown = sorted(set(names) - set(BASELINE_NAMES))
    if unknown:
        choices = ", ".join(BASELINE_NAMES)
        raise AssistantError(f"unknown baseline(s) {', '.join(unknown)}: choose from {choices}")
    import copy

    from assistant.retrieval.hybrid import HybridRetriever

    if embedder is not None:  # share the model, but embed every question afresh (fair latency)
        _ = embedder.model  # load it once, before copying, so the copy does not load its own
        embedder = copy.copy(embedder)
        embedder.cache_size = 0
    retriever = HybridRetriever.from_settings(settings, embedder=embedder)
    retriever.check()  # IndexMissingError / StoreUnavailableError now, not once per case
    searches: dict[str, Callable[[], Search]] = {
        "bm25": lambda: lambda q, n: [(p.doc_id, p.text) for p in retriever.bm25_search(q, n)],
        "dense": lambda: lambda q, n: [(p.doc_id, p.text) for p in retriever.dense_search(q, n)],
        "naive": lambda: _naive_search(retriever.vectorstore()),
    }
    return [RetrievalBaseline(name, searches[name](), k) for name in names]
