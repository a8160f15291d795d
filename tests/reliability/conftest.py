"""Fixtures shared by the reliability tests: a served copy of the knowledge-base index and a live UI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .procs import ChatServer, child_env


@pytest.fixture(scope="session")
def served_index(kb_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's knowledge-base index that server processes may open on their own."""
    target = tmp_path_factory.mktemp("served") / "index"
    shutil.copytree(kb_index_dir, target)
    return target


@pytest.fixture(scope="session")
def chat_server(served_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    """`coding-assistant chat` on 127.0.0.1 over the knowledge base, no login, logs in a temp dir."""
    logs = tmp_path_factory.mktemp("chat-logs")
    env = child_env(ASSISTANT_LOG_DIR=str(logs), ASSISTANT_FEEDBACK_DB=str(logs / "feedback.sqlite3"))
    env.pop("ASSISTANT_AUTH", None)
    server = ChatServer(served_index, env).wait()
    yield server
    server.close()
