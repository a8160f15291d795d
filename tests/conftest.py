"""Shared fixtures: no outbound network, settings isolated in tmp_path, one real model per session."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import KNOWLEDGE_BASE, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

_real_connect = socket.socket.connect


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX path
        return True
    host = str(address[0])
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_local(address):
        raise RuntimeError(f"outbound network blocked in tests: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to 127.0.0.1 only (Chroma server, the UI); anything else fails loudly."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ASSISTANT_* variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ASSISTANT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "logs" / "feedback.sqlite3"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose index, logs and feedback live in this test's tmp_path."""
    return Settings(
        index_dir=tmp_path / "index",
        log_dir=tmp_path / "logs",
        feedback_db=tmp_path / "logs" / "feedback.sqlite3",
    )


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The real bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    from assistant.retrieval.embeddings import Embedder

    return Embedder.from_settings(Settings())


@pytest.fixture(scope="session")
def kb_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Path]:
    """The shipped knowledge base ingested once into an embedded Chroma for the session."""
    from assistant.ingest.pipeline import ingest

    index_dir = tmp_path_factory.mktemp("kb-index")
    ingest([KNOWLEDGE_BASE / "guidance"], Settings(index_dir=index_dir), embedder=embedder)
    yield index_dir


@pytest.fixture(scope="session")
def kb_assistant(kb_index_dir: Path, embedder: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An Assistant over the shipped knowledge base (grounded composer, no LLM)."""
    from assistant.service import Assistant

    logs = tmp_path_factory.mktemp("kb-logs")
    s = Settings(index_dir=kb_index_dir, log_dir=logs, feedback_db=logs / "feedback.sqlite3")
    return Assistant.from_settings(s, embedder=embedder)
