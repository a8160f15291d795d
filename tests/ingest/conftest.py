"""Fixtures for the ingest tests: a real Chroma server and settings for either backend."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from chroma_server import chroma_server_url  # noqa: F401  (session fixture)

from assistant.config import Settings

BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("server", id="server", marks=pytest.mark.slow),
]


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for an empty index: embedded Chroma in tmp_path, or a fresh collection on the server."""
    index_dir = tmp_path / "index"
    if request.param == "embedded":
        return Settings(index_dir=index_dir)
    url = request.getfixturevalue("chroma_server_url")
    return Settings(index_dir=index_dir, chroma_url=url, collection=f"t{uuid.uuid4().hex[:12]}")
