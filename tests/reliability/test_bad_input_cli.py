"""Bad input through the real `coding-assistant` process: argv, stdin and batch files.

Every run must end with exit code 0-2, print a message a person can read, and never a traceback.
A hang fails through the subprocess timeout.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .inputs import HUGE
from .procs import child_env, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def check_run(proc: subprocess.CompletedProcess[bytes]) -> str:
    """Exit 0-2, no traceback, some readable output; returns stdout+stderr as text."""
    output = (proc.stdout + proc.stderr).decode("utf-8", errors="replace")
    assert proc.returncode in (0, 1, 2), output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    assert output.strip(), "the user is told something"
    return output


@pytest.mark.parametrize(
    "question",
    [b"", b"   \t  ", HUGE.encode(), b"\xff\xfe\x80 97112 \xc3( units?", b"\x1b[2J\x07 97112 \x08\x7f"],
    ids=["empty", "whitespace", "100kB", "invalid-utf8", "control-chars"],
)
def test_ask_argv(served_index: Path, question: bytes) -> None:
    output = check_run(run_cli([b"--index-dir", str(served_index).encode(), b"ask", question]))
    assert len(output) < 20_000, "a 100 kB question is not echoed back"


def test_ask_empty_says_what_is_wrong(served_index: Path) -> None:
    output = check_run(run_cli(["--index-dir", str(served_index), "ask", ""]))
    assert "question" in output.lower()


def test_ask_json_with_binary_bytes_is_valid_json(served_index: Path) -> None:
    proc = run_cli(
        [b"--index-dir", str(served_index).encode(), b"ask", b"\xff\xfe 97112?\xed\xa0\x80", b"--json"]
    )
    check_run(proc)
    if proc.returncode == 0:
        answer = json.loads(proc.stdout)
        assert answer["answer"].strip()


def test_ask_batch_with_hostile_lines(served_index: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok", "question": "Is 97112 a timed code?"}).encode(),
        json.dumps({"id": "nul", "question": "97112\u0000 units"}).encode(),
        b'{"id": "raw-bytes", "question": "97112 \xff\xfe units"}',
        b"\x00\x00 not json at all \x00",
        b"",
        json.dumps({"id": "empty", "question": ""}).encode(),
        json.dumps({"id": "no-question"}).encode(),
        json.dumps({"id": "emoji", "question": "🧾 modifier 59 with 97140? 🙂"}).encode(),
        json.dumps({"id": "huge", "question": HUGE}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
    ]
    batch = tmp_path / "in.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    proc = run_cli(["--index-dir", str(served_index), "ask", "--batch", str(batch), "--out", str(out)])
    check_run(proc)
    answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = [a.get("id") for a in answers]
    assert ids == ["ok", "nul", "raw-bytes", None, "empty", "no-question", "emoji", "huge", None], (
        "one line out per line in"
    )
    by_id = {a["id"]: a for a in answers if a.get("id")}
    assert not by_id["ok"]["abstained"] and by_id["ok"]["citations"], "good lines still get answered"
    assert by_id["empty"]["abstained"] and by_id["huge"]["abstained"]
    assert all(a.get("error") or a.get("answer", "").strip() for a in answers), "each line says something"


@pytest.mark.parametrize(
    "stdin", [b"", b"\x00\x00\xff", "24 min of 97112 🙂".encode("utf-16")], ids=["empty", "nul-ff", "utf-16"]
)
def test_ask_with_odd_stdin_neither_hangs_nor_crashes(served_index: Path, stdin: bytes) -> None:
    """`ask` takes the question from argv; NUL/undecodable bytes piped in (e.g. `... | ask -`) do no harm."""
    check_run(run_cli(["--index-dir", str(served_index), "ask", "-"], stdin=stdin))


def test_no_index_tells_the_user_what_to_run(tmp_path: Path) -> None:
    proc = run_cli(["--index-dir", str(tmp_path / "nothing-here"), "ask", "Is 97112 timed?"])
    output = check_run(proc)
    assert proc.returncode == 2
    assert "coding-assistant ingest" in output or "make chat" in output


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ASSISTANT_TOP_K", "abc"), ("ASSISTANT_PORT", "not-a-port"), ("ASSISTANT_CHROMA_TIMEOUT_S", "soon")],
)
def test_bad_setting_in_the_environment_is_named_not_a_traceback(variable: str, value: str) -> None:
    proc = run_cli(["units", "97112=24"], env=child_env(**{variable: value}), timeout=120)
    output = check_run(proc)
    assert proc.returncode == 2
    assert variable in output, "the message names the variable to fix"


def test_batch_file_saved_by_windows_tools(served_index: Path, tmp_path: Path) -> None:
    """Notepad/Excel write a UTF-8 byte-order mark and CRLF line ends: every line is still answered."""
    lines = [json.dumps({"id": "a", "question": "Is 97112 a timed code?"}),
             json.dumps({"id": "b", "question": "Does 97112 need the GP modifier?"})]  # fmt: skip
    batch = tmp_path / "in.jsonl"
    batch.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    out = tmp_path / "out.jsonl"
    check_run(run_cli(["--index-dir", str(served_index), "ask", "--batch", str(batch), "--out", str(out)]))
    answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(a["id"], "error" in a) for a in answers] == [("a", False), ("b", False)]
