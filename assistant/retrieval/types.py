"""Plain data passed between retrieval and the chain."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk with the scores that ranked it."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    source: str
    text: str
    score: float  # fused (RRF + code boost) score used for ranking
    dense_similarity: float | None = None  # cosine similarity to the question, when dense search saw it
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetrievalResult:
    """Ranked passages plus whether anything cleared the relevance floor."""

    passages: list[Passage] = field(default_factory=list)
    best_similarity: float = 0.0
    found: bool = False
