"""`coding-assistant bench --quick --json OUT` runs every phase and writes every key (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import build_app

FIGURES = (
    "embedding_floor_ms",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "naive_p95_ms",
    "p95_to_floor",
    "p95_to_naive",
    "ingest_full_s",
    "ingest_unchanged_s",
    "ingest_unchanged_ratio",
    "chunks_per_s",
    "cold_ask_s",
    "ui_ready_s",
    "peak_rss_mb",
)


@pytest.mark.integration
@pytest.mark.slow
def test_quick_bench_writes_every_key(tmp_path: Path) -> None:
    out = tmp_path / "out" / "bench.json"
    args = ["--index-dir", str(tmp_path / "index"), "bench", "--quick", "--json", str(out)]
    result = CliRunner().invoke(build_app(), [*args, "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())

    for key in FIGURES:
        assert isinstance(figures[key], int | float) and figures[key] > 0, key
    assert figures["quick"] is True
    assert figures["kb_chunks"] > 0
    # nothing cached in a fresh cache folder: --quick embeds no synthetic corpus
    assert set(figures["scale"]) == {"1000", "10000", "100000"}
    assert all("skipped" in point for point in figures["scale"].values())
    assert set(figures["targets"]) >= {"warm p95 / embedding floor", "cold ask (s)", "peak RSS (MB)"}
    assert figures["targets"]["unchanged / full re-ingest"]["met"] is not None
    assert "ask p95" in result.output  # the rich table was printed
    assert not (tmp_path / "index").exists()  # the bench never touches the configured index
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith("bench-")] == []
