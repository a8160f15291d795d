"""Small timing helpers shared by the bench phases: wall-clock timing, percentiles, peak memory."""

from __future__ import annotations

import math
import resource
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 of ``values`` (milliseconds), rounded to 0.01."""
    return {f"p{q}_ms": round(percentile(values, q), 2) for q in (50, 95, 99)}


def time_ms(fn: Callable[[T], object], items: Iterable[T]) -> list[float]:
    """Milliseconds each ``fn(item)`` call took."""
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def timed_s(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()``'s result and the seconds it took."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    """Peak resident memory (MB) of this process so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports kilobytes
