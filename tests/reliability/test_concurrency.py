"""20 parallel clients on the live UI's /ask for 60 s, and an ingest into the index while it serves."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import KNOWLEDGE_BASE

from .load_clients import LoadReport, connect, run_load
from .procs import ChatServer, child_env, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def problems(report: LoadReport) -> str:
    return "\n".join([report.line(), *(report.errors + report.mismatches)[:10]])


def test_twenty_clients_for_sixty_seconds_match_serial_answers(chat_server: ChatServer) -> None:
    report = run_load(chat_server.url, clients=20, seconds=60)
    assert report.ok, problems(report)
    assert report.calls >= 20, "every client got answers"


@pytest.fixture
def private_server(served_index: Path, tmp_path: Path) -> Iterator[ChatServer]:
    index = tmp_path / "index"
    shutil.copytree(served_index, index)
    env = child_env(
        ASSISTANT_LOG_DIR=str(tmp_path / "logs"), ASSISTANT_FEEDBACK_DB=str(tmp_path / "fb.sqlite3")
    )
    server = ChatServer(index, env).wait()
    yield server
    server.close()


def test_ingest_while_serving_keeps_queries_working(private_server: ChatServer, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "front-desk-hours.md").write_text(
        "# Front desk hours\n\n## When is the billing office open?\n\n"
        "The billing office front desk is staffed on weekdays; voicemail is checked every morning.\n",
        "utf-8",
    )
    outcome: dict[str, LoadReport] = {}
    load = threading.Thread(
        target=lambda: outcome.update(report=run_load(private_server.url, clients=4, seconds=45, exact=False))
    )
    load.start()
    index = str(private_server.index_dir)
    ingest = run_cli(["--index-dir", index, "ingest", "-q", str(KNOWLEDGE_BASE / "guidance"), str(extra)])
    load.join(timeout=400)
    assert ingest.returncode == 0, ingest.stderr.decode()[-2000:]
    report = outcome["report"]
    assert report.ok, problems(report)
    after = connect(private_server.url).predict("Is 97112 a timed code?", [], api_name="/ask")
    assert not after["abstained"] and after["citations"], (
        f"the server still answers after the ingest: {after}"
    )
