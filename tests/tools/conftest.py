"""Fixtures for the tools' tests: a private copy of the data folder and a CLI runner over it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from assistant.config import KNOWLEDGE_BASE


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The shipped tables copied to tmp_path (imports write there, never into the repo)."""
    target = tmp_path / "data"
    shutil.copytree(KNOWLEDGE_BASE / "data", target, ignore=shutil.ignore_patterns("imported"))
    return target


@pytest.fixture
def cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``coding-assistant ARGS`` in-process with ASSISTANT_DATA_DIR pointing at the copy."""
    from assistant.cli import build_app

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    app = build_app()
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args))

    return run


@pytest.fixture
def cli_json(cli: Callable[..., Result]) -> Callable[..., dict[str, Any]]:
    """Run a tool command with --json and return the parsed result (asserting success)."""

    def run(*args: str) -> dict[str, Any]:
        result = cli(*args, "--json")
        assert result.exit_code == 0, result.output + repr(result.exception)
        return json.loads(result.output)

    return run
