"""The audit log and the feedback store on storage that cannot be used (a file where a folder should be,
a corrupt database): a clear message naming the setting, never a traceback or a crash on a question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Answer
from assistant.config import Settings
from assistant.errors import AssistantError

from .procs import child_env, free_port, run_cli


def check_clear_failure(output: str, returncode: int, names: tuple[str, ...]) -> None:
    assert returncode in (0, 1, 2) and "Traceback" not in output, output[-2000:]
    if returncode != 0:
        assert any(name in output for name in names), "the message says which setting or file to fix"


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A regular file standing where a folder is expected."""
    path = tmp_path / "not-a-folder"
    path.write_text("x", "utf-8")
    return path


@pytest.mark.integration
def test_unusable_log_dir_never_crashes_ask(kb_index_dir: Path, embedder: Any, blocker: Path) -> None:
    from assistant.service import Assistant

    bot = Assistant.from_settings(Settings(index_dir=kb_index_dir, log_dir=blocker), embedder=embedder)
    try:
        answer = bot.ask("Is 97112 a timed code?")
    except AssistantError as err:
        assert str(blocker) in str(err) or "ASSISTANT_LOG_DIR" in str(err)
        return
    assert isinstance(answer, Answer) and answer.answer.strip()


@pytest.mark.integration
@pytest.mark.slow
def test_unusable_log_dir_cli(served_index: Path, blocker: Path) -> None:
    proc = run_cli(["--index-dir", str(served_index), "ask", "Is 97112 a timed code?"],
                   env=child_env(ASSISTANT_LOG_DIR=str(blocker)))  # fmt: skip
    check_clear_failure(
        (proc.stdout + proc.stderr).decode(), proc.returncode, ("ASSISTANT_LOG_DIR", str(blocker))
    )


@pytest.mark.parametrize("kind", ["under-a-file", "corrupt"])
def test_unusable_feedback_db_export(tmp_path: Path, blocker: Path, kind: str) -> None:
    db = blocker / "fb.sqlite3" if kind == "under-a-file" else tmp_path / "fb.sqlite3"
    if kind == "corrupt":
        db.write_bytes(b"this is not an SQLite database\x00" * 100)
    proc = run_cli(["feedback", "export", "--out", str(tmp_path / "out.jsonl")],
                   env=child_env(ASSISTANT_FEEDBACK_DB=str(db)), timeout=120)  # fmt: skip
    check_clear_failure(
        (proc.stdout + proc.stderr).decode(), proc.returncode, ("ASSISTANT_FEEDBACK_DB", str(db))
    )


@pytest.mark.integration
@pytest.mark.slow
def test_unusable_feedback_db_chat_startup(served_index: Path, blocker: Path) -> None:
    db = blocker / "fb.sqlite3"
    proc = run_cli(["--index-dir", str(served_index), "chat", "--port", str(free_port())],
                   env=child_env(ASSISTANT_FEEDBACK_DB=str(db)), timeout=300)  # fmt: skip
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2, "the server refuses to start"
    check_clear_failure(output, proc.returncode, ("ASSISTANT_FEEDBACK_DB", str(db)))


@pytest.mark.integration
@pytest.mark.slow
def test_index_dir_that_is_a_file_cli_ingest(blocker: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kx.md").write_text("# KX\n\n## Threshold\n\nKX attests medical necessity above the threshold.\n")
    proc = run_cli(["--index-dir", str(blocker), "ingest", "-q", str(docs)])
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2
    check_clear_failure(output, proc.returncode, (str(blocker),))


@pytest.fixture
def corrupt_index(tmp_path: Path) -> Path:
    """An index folder whose Chroma database is garbage (a half-copied or damaged disk)."""
    index = tmp_path / "index"
    index.mkdir()
    (index / "chroma.sqlite3").write_bytes(bytes(range(256)) * 400)
    return index


@pytest.mark.integration
def test_corrupt_index_says_to_rebuild_it(corrupt_index: Path, embedder: Any) -> None:
    from assistant.service import Assistant

    bot = Assistant.from_settings(Settings(index_dir=corrupt_index), embedder=embedder)
    try:
        message = bot.ask("Is 97112 a timed code?").answer
    except AssistantError as err:
        message = str(err)
    assert "coding-assistant ingest" in message, f"not a rebuild hint: {message}"


@pytest.mark.integration
@pytest.mark.slow
def test_corrupt_index_cli(corrupt_index: Path) -> None:
    proc = run_cli(["--index-dir", str(corrupt_index), "ask", "Is 97112 a timed code?"])
    output = (proc.stdout + proc.stderr).decode()
    check_clear_failure(output, proc.returncode, ("ingest",))
    assert "coding-assistant ingest" in output


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the tools' data tables that a test may damage (as an office editing them in Excel would)."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(Settings().data_dir, target)
    return target


def rate_run(data_dir: Path) -> tuple[int, str]:
    proc = run_cli(
        ["rate", "97112", "--payer", "Aetna", "--json"], env=child_env(ASSISTANT_DATA_DIR=str(data_dir))
    )
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", errors="replace")


def test_data_table_saved_with_a_byte_order_mark_still_works(data_copy: Path) -> None:
    table = data_copy / "payer_rates.csv"
    expected = rate_run(data_copy)
    table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())  # Excel's "CSV UTF-8"
    assert rate_run(data_copy) == expected


@pytest.mark.parametrize("damage", ["cp1252", "garbage"])
def test_damaged_data_table_is_named_not_a_traceback(data_copy: Path, damage: str) -> None:
    table = data_copy / "payer_rates.csv"
    if damage == "cp1252":  # Excel's plain "CSV" on Windows
        table.write_bytes(
            table.read_text("utf-8").replace("Medicaid", "Médicaid").encode("cp1252", "replace")
        )
    else:
        table.write_bytes(bytes(range(256)) * 10)
    returncode, output = rate_run(data_copy)
    check_clear_failure(output, returncode, ("payer_rates.csv",))
