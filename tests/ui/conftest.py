"""A live `coding-assistant chat` over the knowledge-base index, for the API and browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from reliability.procs import ChatServer, child_env


@dataclass
class LiveUi:
    """A running UI server and where its feedback lands."""

    server: ChatServer
    feedback_db: Path

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def live_ui(kb_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveUi]:
    """`coding-assistant --index-dir <copy of the KB index> chat --port <free>` on 127.0.0.1, no login."""
    root = tmp_path_factory.mktemp("ui-server")
    index = root / "index"
    shutil.copytree(kb_index_dir, index)
    feedback_db = root / "logs" / "feedback.sqlite3"
    env = child_env(ASSISTANT_LOG_DIR=str(root / "logs"), ASSISTANT_FEEDBACK_DB=str(feedback_db))
    for key in ("ASSISTANT_AUTH", "ASSISTANT_USERS_FILE", "ASSISTANT_SHARE", "ASSISTANT_HOST"):
        env.pop(key, None)
    server = ChatServer(index, env).wait()
    try:
        yield LiveUi(server, feedback_db)
    finally:
        server.close()
