"""`coding-assistant ask`: the acceptance question end to end, batch mode with ids, bad input exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import build_app

CLI = Path(sys.executable).with_name("coding-assistant")
ACCEPTANCE = "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?"


def _run(*args: str | bytes, timeout: float = 180) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run([str(CLI), *args], capture_output=True, timeout=timeout, env=env, check=False)


@pytest.mark.integration
@pytest.mark.slow
def test_acceptance_question_json(kb_index_dir: Path) -> None:
    proc = _run("--index-dir", str(kb_index_dir), "ask", ACCEPTANCE, "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    answer = json.loads(proc.stdout)
    units = next(c for c in answer["tool_calls"] if c["name"] == "units")
    assert units["args"]["minutes"] == {"97112": 24, "97110": 23}
    assert units["result"]["units_by_code"] == {"97112": 2, "97110": 1}
    assert "2 units of 97112" in answer["answer"] and "1 unit of 97110" in answer["answer"]
    assert answer["citations"] and answer["abstained"] is False


@pytest.mark.parametrize(
    ("arg", "message"),
    [("", "Please type a question"), ("x" * 100_000, "the limit is 4,000"), (b"\xff\xfe\xfd", "Please type")],
)
def test_bad_questions_exit_cleanly(arg: str | bytes, message: str, tmp_path: Path) -> None:
    proc = _run("--index-dir", str(tmp_path / "none"), "ask", arg, timeout=60)
    assert proc.returncode in (0, 1, 2)
    out = (proc.stdout + proc.stderr).decode(errors="replace")
    assert message in out and "Traceback" not in out


def test_ask_needs_a_question_or_a_batch(tmp_path: Path) -> None:
    proc = _run("--index-dir", str(tmp_path / "none"), "ask", timeout=60)
    assert proc.returncode == 2 and b"error: Give a QUESTION" in proc.stderr


@pytest.mark.integration
def test_batch_keeps_ids_and_reports_bad_lines(kb_index_dir: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "question": "97110=33 97140=7 how many units?"}),
        "{not json",
        json.dumps(
            {
                "id": "c3",
                "question": "and UnitedHealthcare?",
                "history": [{"role": "user", "content": "What does Aetna pay for 97112?"}],
            }
        ),
        json.dumps({"id": "d4", "text": "no question field"}),
        "",
        json.dumps({"id": 5, "question": ""}),
    ]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        build_app(), ["--index-dir", str(kb_index_dir), "ask", "--batch", str(source), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1", None, "c3", "d4", 5]
    assert "2 units of 97110" in records[0]["answer"]
    assert (
        records[1] == {"id": None, "line": 2, "error": records[1]["error"]}
        and "not valid JSON" in records[1]["error"]
    )
    assert "$36.10" in records[2]["answer"]
    assert records[3]["line"] == 4 and "question" in records[3]["error"]
    assert records[4]["abstained"] is True


@pytest.mark.integration
def test_human_output_shows_answer_and_cited_text(kb_index_dir: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["--index-dir", str(kb_index_dir), "ask", "What is the 2026 KX threshold?"]
    )
    assert result.exit_code == 0, result.output
    assert "$2,480" in result.output and "Cited text:" in result.output and "**Sources**" in result.output
