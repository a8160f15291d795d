"""Warm latency: the embedding floor, and ``Assistant.ask`` (grounded) against the naive LangChain chain.

The naive chain is what a first RAG prototype does: ``langchain_chroma.Chroma.similarity_search`` over the
same collection and the top chunk as the answer. Both are timed in the same process, after a warm-up,
on the eval questions, each asked once: the assistant's question-embedding cache never hits (as for a
new question) and the naive chain embeds every question too, so the two pay the same embedding cost.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.bench.measure import summary, time_ms
from assistant.config import REPO_ROOT

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.retrieval.embeddings import Embedder

EVAL_DATASETS = REPO_ROOT / "eval" / "datasets"
WARM_UP = (
    "What is the 8-minute rule?",
    "Does 97112 need the GP modifier?",
    "What does Medicare pay for 97110?",
)


def load_questions(folder: Path = EVAL_DATASETS, limit: int | None = None) -> list[str]:
    """The distinct ``question`` fields of ``folder/*.jsonl`` in file order (at most ``limit``)."""
    questions: dict[str, None] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line).get("question")
                if isinstance(question, str) and question.strip():
                    questions[question] = None
    found = list(questions)
    return found[:limit] if limit else found


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


def ask_latencies(settings: Settings, embedder: Embedder, questions: Sequence[str]) -> list[float]:
    """Milliseconds of each warm ``Assistant.ask`` (grounded composer, no LLM)."""
    from assistant.service import Assistant

    grounded = settings.model_copy(update={"llm": None})
    assistant = Assistant.from_settings(grounded, embedder=embedder)
    for question in WARM_UP:
        assistant.ask(question)
    return time_ms(assistant.ask, questions)


def naive_latencies(settings: Settings, embedder: Embedder, questions: Sequence[str]) -> list[float]:
    """Milliseconds of each naive chain call: Chroma similarity search, top chunk as the answer."""
    from assistant.retrieval.store import langchain_vectorstore

    vectorstore = langchain_vectorstore(settings, embedder)

    def naive_answer(question: str) -> str:
        hits = vectorstore.similarity_search(question, k=1)
        return hits[0].page_content if hits else "No answer found."

    for question in WARM_UP:
        naive_answer(question)
    return time_ms(naive_answer, questions)


def latency_report(
    settings: Settings, embedder: Embedder, naive_embedder: Embedder, questions: Sequence[str]
) -> dict[str, float]:
    """p50/p95/p99 of ``ask`` and p95 of the naive chain; the two embedders must not share a cache."""
    grounded = summary(ask_latencies(settings, embedder, questions))
    naive = summary(naive_latencies(settings, naive_embedder, questions))
    return {**grounded, "naive_p50_ms": naive["p50_ms"], "naive_p95_ms": naive["p95_ms"]}
