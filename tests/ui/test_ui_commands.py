"""The UI's commands: `feedback export` and `chat` without an index."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import build_app
from assistant.errors import IndexMissingError
from assistant.feedback import FeedbackStore
from eval.dataset import load_dataset


def test_feedback_export_command(tmp_path: Path) -> None:
    db = tmp_path / "logs" / "feedback.sqlite3"  # ASSISTANT_FEEDBACK_DB set by tests/conftest.py
    FeedbackStore(db).add("How many units for 8 minutes of 97110?", {"answer": "1 unit"}, rating=1)
    out = tmp_path / "out" / "fb.jsonl"
    result = CliRunner().invoke(build_app(), ["feedback", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 1 feedback case" in result.output
    assert len(load_dataset(out)) == 1


def test_chat_without_an_index_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(build_app(), ["--index-dir", str(tmp_path / "none"), "chat", "--port", "0"])
    assert isinstance(result.exception, IndexMissingError)
    assert "coding-assistant ingest" in str(result.exception)
