"""Percentiles and target verdicts of the bench report."""

from __future__ import annotations

from assistant.bench.measure import percentile, summary
from assistant.bench.report import add_ratios


def test_percentile_uses_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0
    assert percentile([], 95) == 0.0


def test_summary_has_the_three_percentiles() -> None:
    assert summary([10.0, 20.0]) == {"p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 20.0}


def test_targets_are_judged_from_the_figures() -> None:
    result = add_ratios(
        {
            "embedding_floor_ms": 10.0,
            "p95_ms": 14.0,
            "naive_p95_ms": 12.0,
            "ingest_full_s": 10.0,
            "ingest_unchanged_s": 0.2,
            "cold_ask_s": 6.0,
            "peak_rss_mb": 900.0,
            "scale": {"100000": {"query_p95_ms": 30.0}},
        }
    )
    targets = result["targets"]
    assert result["p95_to_floor"] == 1.4 and targets["warm p95 / embedding floor"]["met"] is True
    assert targets["warm p95 / naive p95"]["met"] is False
    assert targets["100k p95 / shipped-KB p95"]["value"] == round(30 / 14, 3)
    assert targets["100k p95 / shipped-KB p95"]["met"] is False
    assert targets["unchanged / full re-ingest"]["met"] is True
    assert targets["cold ask (s)"]["met"] is False
    assert targets["peak RSS (MB)"]["met"] is True


def test_a_skipped_scale_point_is_not_measured_rather_than_failed() -> None:
    result = add_ratios({"p95_ms": 5.0, "scale": {"100000": {"skipped": "--quick"}}})
    assert result["targets"]["100k p95 / shipped-KB p95"]["met"] is None


def test_peak_memory_of_a_running_process_comes_from_proc() -> None:
    import os
    import subprocess
    import sys

    from assistant.bench.process import peak_mb

    code = "x = bytearray(200 * 2**20); print('ready', flush=True); input()"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        child = peak_mb(proc.pid)
        proc.communicate("\n")
    assert child is not None and child >= 200  # its own 200 MB, not this process's size
    assert peak_mb(os.getpid()) is not None and peak_mb(2**22 + 12345) is None
