"""Ratios, target checks and the printed table of a bench result (a plain JSON-ready dict)."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

# (name, key, denominator key or None, limit): a target is met when key (/ denominator) <= limit.
TARGETS: tuple[tuple[str, str, str | None, float], ...] = (
    ("warm p95 / embedding floor", "p95_ms", "embedding_floor_ms", 1.5),
    ("warm p95 / naive p95", "p95_ms", "naive_p95_ms", 1.0),
    ("100k p95 / shipped-KB p95", "scale_100k_p95_ms", "p95_ms", 2.0),
    ("unchanged / full re-ingest", "ingest_unchanged_s", "ingest_full_s", 0.05),
    ("cold ask (s)", "cold_ask_s", None, 5.0),
    ("peak RSS (MB)", "peak_rss_mb", None, 1200.0),
)


def machine() -> dict[str, Any]:
    """CPU model, cores, memory and Python version of this machine."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
    }


def add_ratios(result: dict[str, Any]) -> dict[str, Any]:
    """Add the ratios and the ``targets`` verdicts to ``result`` (in place) and return it."""
    point = result.get("scale", {}).get("100000", {})
    if "query_p95_ms" in point:
        result["scale_100k_p95_ms"] = point["query_p95_ms"]
    result["p95_to_floor"] = _ratio(result, "p95_ms", "embedding_floor_ms")
    result["p95_to_naive"] = _ratio(result, "p95_ms", "naive_p95_ms")
    result["naive_p95_to_floor"] = _ratio(result, "naive_p95_ms", "embedding_floor_ms")
    targets = {}
    for name, key, over, limit in TARGETS:
        value = _ratio(result, key, over) if over else result.get(key)
        targets[name] = {"value": value, "limit": limit, "met": None if value is None else value <= limit}
    result["targets"] = targets
    return result


def _ratio(result: dict[str, Any], key: str, over: str) -> float | None:
    top, bottom = result.get(key), result.get(over)
    if not isinstance(top, int | float) or not isinstance(bottom, int | float) or not bottom:
        return None
    return round(top / bottom, 3)


_ROWS = (
    ("embedding floor (median, one question)", "embedding_floor_ms", "ms"),
    ("ask p50 (warm, grounded)", "p50_ms", "ms"),
    ("ask p95", "p95_ms", "ms"),
    ("ask p99", "p99_ms", "ms"),
    ("naive chain p95 (Chroma top-1)", "naive_p95_ms", "ms"),
    ("p95 / floor", "p95_to_floor", "x"),
    ("p95 / naive p95", "p95_to_naive", "x"),
    ("ingest, full (shipped KB)", "ingest_full_s", "s"),
    ("ingest, unchanged", "ingest_unchanged_s", "s"),
    ("unchanged / full", "ingest_unchanged_ratio", "x"),
    ("chunks per second (full ingest)", "chunks_per_s", "/s"),
    ("cold ask: start to first answer", "cold_ask_s", "s"),
    ("chat: start to HTTP 200", "ui_ready_s", "s"),
    ("peak RSS (ask/chat processes, bench KB phase)", "peak_rss_mb", "MB"),
)


def print_report(result: dict[str, Any]) -> None:
    """Print the figures, the scale table and the target verdicts with rich."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    figures = Table(title=f"coding-assistant bench ({'quick' if result.get('quick') else 'full'})")
    host = result.get("machine", {})
    figures.caption = (
        f"{host.get('cpu', '?')}, {host.get('cores', '?')} cores; load average "
        f"{result.get('load_avg_start', '?')} at start, {result.get('load_avg_end', '?')} at end"
    )
    figures.add_column("measure")
    figures.add_column("value", justify="right")
    for label, key, unit in _ROWS:
        value = result.get(key)
        figures.add_row(label, "-" if value is None else f"{value} {unit}")
    console.print(figures)

    scale = Table(title="scale (synthetic corpus)")
    for column in ("chunks", "build s", "embed s", "ask p95 ms", "note"):
        scale.add_column(column, justify="left" if column == "note" else "right")
    for size, point in result.get("scale", {}).items():
        scale.add_row(
            str(point.get("chunks", size)),
            str(point.get("build_s", "-")),
            str(point.get("embed_s", "-")),
            str(point.get("query_p95_ms", "-")),
            point.get("skipped", point.get("error", "")),
        )
    console.print(scale)

    verdicts = Table(title="targets")
    for column in ("target", "value", "limit", "met"):
        verdicts.add_column(column)
    for name, check in result.get("targets", {}).items():
        met = {True: "[green]yes[/]", False: "[red]no[/]", None: "not measured"}[check["met"]]
        verdicts.add_row(name, str(check["value"]), f"<= {check['limit']}", met)
    console.print(verdicts)
