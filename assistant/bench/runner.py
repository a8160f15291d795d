"""Run every bench phase in order and collect one JSON-ready result.

Phases: ingest the shipped knowledge base into a scratch index (full, then unchanged); the embedding
floor; warm ``ask`` and naive-chain latency over the eval questions on that index; peak memory; cold
``ask`` and ``chat`` start-up as real processes; the synthetic-corpus scale points. The bench always
uses an embedded Chroma in scratch folders (never ``--chroma-url``: a full ingest resets its index).

Example:
    >>> result = run_bench(Settings(), quick=True, cache_dir=Path(".cache/bench"))   # doctest: +SKIP
    >>> result["p95_ms"], result["embedding_floor_ms"]                                # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings

QUICK_QUESTIONS = 60  # questions timed with --quick (all of them in the full run)
SCALE_QUESTIONS = 60  # questions asked at each scale point (30 with --quick)
FULL_SIZES = (1000, 10000, 100000)


def default_cache_dir(settings: Settings) -> Path:
    """Where the synthetic corpus and its vectors persist between runs: ``<index_dir>/../.cache/bench``."""
    return settings.index_dir.resolve().parent / ".cache" / "bench"


def run_bench(
    settings: Settings,
    quick: bool,
    cache_dir: Path,
    sizes: Sequence[int] | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every figure of the bench; ``quick``: fewer questions, and scale points only when already cached.

    ``sizes`` are the scale points to run (default: 1k with ``quick``, else 1k, 10k and 100k); the others
    of 1k/10k/100k are reported as skipped.
    """
    from assistant.bench.ingest_timing import ingest_report
    from assistant.bench.latency import embedding_floor_ms, latency_report, load_questions
    from assistant.bench.measure import peak_rss_mb
    from assistant.bench.process import cold_ask_s, ui_ready_s
    from assistant.bench.report import add_ratios, machine
    from assistant.bench.scale import scale_report
    from assistant.retrieval.embeddings import Embedder

    started = time.perf_counter()
    questions = load_questions(limit=QUICK_QUESTIONS if quick else None)
    if not questions:
        raise RuntimeError("no eval questions found under eval/datasets/*.jsonl")
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=cache_dir))
    kb = settings.model_copy(
        update={
            "index_dir": scratch / "kb-index",
            "chroma_url": None,
            "log_dir": scratch / "logs",
            "feedback_db": scratch / "logs" / "feedback.sqlite3",
        }
    )
    result: dict[str, Any] = {"quick": quick, "machine": machine(), "questions": len(questions)}
    result["load_avg_start"] = round(os.getloadavg()[0], 2)  # other work sharing the cores skews timings
    try:
        embedder = Embedder.from_settings(kb)  # as shipped (query cache on): ingest and ask
        plain = Embedder.from_settings(kb.model_copy(update={"embedding_cache_size": 0}))  # floor, naive
        say("ingest: shipped knowledge base, full then unchanged")
        result.update(ingest_report([settings.guidance_dir], kb, embedder))
        say("embedding floor")
        result["embedding_floor_ms"] = embedding_floor_ms(plain, questions)
        say(f"warm latency: ask and naive chain, {len(questions)} questions")
        result.update(latency_report(kb, embedder, plain, questions))
        bench_rss = peak_rss_mb()
        say("cold start: ask, chat")
        result["cold_ask_s"], ask_rss = cold_ask_s(kb.index_dir, scratch, questions[0])
        result["ui_ready_s"], chat_rss = ui_ready_s(kb.index_dir, scratch)
        result.update(ask_rss_mb=ask_rss, chat_rss_mb=chat_rss, bench_kb_rss_mb=bench_rss)
        result["peak_rss_mb"] = max(m for m in (bench_rss, ask_rss, chat_rss) if m is not None)
        sizes = list(sizes or (FULL_SIZES[:1] if quick else FULL_SIZES))
        say(f"scale: synthetic corpora of {', '.join(map(str, sizes))} chunks")
        scale_questions = questions[: SCALE_QUESTIONS // 2 if quick else SCALE_QUESTIONS]
        result["scale"] = scale_report(sizes, kb, cache_dir, embedder, scale_questions, not quick)
        skipped = {"skipped": "--quick" if quick else "not in --sizes"}
        points = {**{str(size): skipped for size in FULL_SIZES}, **result["scale"]}
        result["scale"] = dict(sorted(points.items(), key=lambda item: int(item[0])))
        result["scale_peak_rss_mb"] = peak_rss_mb()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    result["bench_s"] = round(time.perf_counter() - started, 1)
    return add_ratios(result)
