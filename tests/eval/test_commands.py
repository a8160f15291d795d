"""`coding-assistant eval` end to end over a real index: reports written, baselines scored, the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import build_app
from eval.dataset import load_split


def _small_dataset(tmp_path: Path) -> Path:
    wanted = {"units-001", "rate-001", "oos-001"}
    cases = [c for c in load_split("all") if c.id in wanted]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(c.model_dump_json() + "\n" for c in cases), encoding="utf-8")
    return path


@pytest.mark.integration
def test_eval_command_writes_reports_with_baselines(kb_index_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    args = [
        "--index-dir",
        str(kb_index_dir),
        "eval",
        "--dataset",
        str(_small_dataset(tmp_path)),
        "--report",
        str(out),
    ]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["n_questions"] == 3
    assert list(report["systems"]) == ["ours", "bm25", "dense", "naive"]
    assert report["systems"]["naive"]["overall"]["tool_exact_match"] == 0.0
    assert report["systems"]["ours"]["overall"]["tool_exact_match"] is not None
    assert "Against BM25 only, the assistant answers" in (out / "report.md").read_text()
    assert (out / "accuracy_by_category.png").read_bytes()[:4] == b"\x89PNG"
    assert "answer accuracy" in result.output


def test_eval_command_reports_a_bad_dataset_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q"}\n{"id": "b"}\n', encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["eval", "--dataset", str(bad), "--report", str(tmp_path / "r")])
    assert result.exit_code != 0
    assert "bad.jsonl line 2: question: Field required" in str(result.exception)
