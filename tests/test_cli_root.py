"""The CLI's composition root: usage errors and bad settings are one clear message, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("args", [("units", "--bogus"), ("rate",), ("nonsense-command",)])
def test_usage_error_is_a_message_not_a_traceback(args: tuple[str, ...]) -> None:
    proc = _run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "Usage" in proc.stderr or "No such" in proc.stderr or "Missing" in proc.stderr


def test_bad_setting_names_the_variable() -> None:
    proc = _run("units", "97112=24", ASSISTANT_TOP_K="many")
    assert proc.returncode == 2
    assert "ASSISTANT_TOP_K" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_lists_every_area() -> None:
    proc = _run("--help")
    assert proc.returncode == 0
    for command in (
        "ingest",
        "ask",
        "units",
        "modifiers",
        "rate",
        "data",
        "chat",
        "feedback",
        "eval",
        "bench",
    ):
        assert command in proc.stdout
