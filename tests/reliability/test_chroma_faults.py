"""A real `chroma run` server that dies, hangs or was never started; a missing or deleted index.

Each fault must end in a clear, user-facing error (StoreUnavailableError / IndexMissingError) within a
few seconds, and the same objects must work again once the server is back.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

import pytest

from assistant.config import REPO_ROOT, Settings
from assistant.errors import IndexMissingError, StoreUnavailableError
from assistant.ingest.pipeline import ingest

from .procs import ChromaServer, child_env, free_port, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]

T = TypeVar("T")
QUESTION = "Which modifier marks outpatient PT furnished in part by a PTA?"
GRACE_S = 5.0  # beyond settings.chroma_timeout_s: the call must have returned by then (not a hang)


def within(seconds: float, fn: Callable[[], T]) -> T:
    """Run ``fn`` in a worker; a call still running after ``seconds`` fails the test as a hang."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fn).result(timeout=seconds)
    except FutureTimeout:
        pytest.fail(f"hung: no answer and no error after {seconds:.0f} s")
    finally:
        pool.shutdown(wait=False)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    srv = ChromaServer(tmp_path / "chroma-data").start()
    yield srv
    if srv.proc is not None and srv.proc.poll() is None:
        os.kill(srv.proc.pid, signal.SIGCONT)
    srv.kill()


@pytest.fixture
def served_settings(server: ChromaServer, tmp_path: Path, embedder: Any) -> Settings:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cq.md").write_text(
        "# CQ and CO\n\n## When CQ applies\n\nCQ marks outpatient PT furnished in part by a PTA.\n", "utf-8"
    )
    (docs / "kx.md").write_text("# KX\n\n## Threshold\n\nKX attests medical necessity above the threshold.\n")
    settings = Settings(index_dir=tmp_path / "index", chroma_url=server.url, chroma_timeout_s=2.0)
    ingest([docs], settings, embedder=embedder)
    return settings


def assistant_for(settings: Settings, embedder: Any) -> Any:
    from assistant.service import Assistant

    return Assistant.from_settings(settings, embedder=embedder)


def test_server_killed_then_restarted(server: ChromaServer, served_settings: Settings, embedder: Any) -> None:
    bot = assistant_for(served_settings, embedder)
    assert not bot.ask(QUESTION).abstained
    server.kill()
    with pytest.raises(StoreUnavailableError) as err:
        within(served_settings.chroma_timeout_s + GRACE_S, lambda: bot.ask(QUESTION))
    assert server.url in str(err.value) or "Chroma" in str(err.value)
    server.start()  # same port, same data
    answer = within(60, lambda: bot.ask(QUESTION))
    assert not answer.abstained and answer.citations[0].doc_id == "cq", "the same Assistant recovers"


def test_server_killed_mid_query(server: ChromaServer, served_settings: Settings, embedder: Any) -> None:
    bot = assistant_for(served_settings, embedder)
    bot.ask(QUESTION)
    outcomes: list[str] = []

    def hammer() -> None:
        for n in range(400):
            try:
                bot.ask(f"{QUESTION} ({n})")
                outcomes.append("ok")
            except StoreUnavailableError:
                outcomes.append("unavailable")
                return

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(hammer)
        while not outcomes and not running.done():
            time.sleep(0.01)
        server.kill()
        running.result(timeout=120)  # any exception other than StoreUnavailableError surfaces here
    assert outcomes[-1] == "unavailable"


def test_hung_server_times_out_then_recovers(
    server: ChromaServer, served_settings: Settings, embedder: Any
) -> None:
    bot = assistant_for(served_settings, embedder)
    bot.ask(QUESTION)
    assert server.proc is not None
    os.kill(server.proc.pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        with pytest.raises(StoreUnavailableError):
            within(served_settings.chroma_timeout_s + GRACE_S, lambda: bot.ask(QUESTION))
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert not within(60, lambda: bot.ask(QUESTION)).abstained


def test_server_never_started_cli_says_so(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    proc = run_cli(["--chroma-url", url, "ask", QUESTION], env=child_env(), timeout=120)
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2 and "Traceback" not in output
    assert url in output and "chroma run" in output


def test_server_never_started_api_raises_clear_error(tmp_path: Path, embedder: Any) -> None:
    settings = Settings(
        index_dir=tmp_path / "i", chroma_url=f"http://127.0.0.1:{free_port()}", chroma_timeout_s=1
    )
    bot = assistant_for(settings, embedder)
    with pytest.raises(StoreUnavailableError, match="Cannot reach the Chroma server"):
        within(settings.chroma_timeout_s + GRACE_S, lambda: bot.ask(QUESTION))


def test_missing_index_tells_what_to_run(tmp_path: Path, embedder: Any) -> None:
    bot = assistant_for(Settings(index_dir=tmp_path / "never-built"), embedder)
    with pytest.raises(IndexMissingError, match="coding-assistant ingest"):
        bot.ask(QUESTION)


def test_deleted_index_tells_what_to_run(tmp_path: Path, embedder: Any) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kx.md").write_text("# KX\n\n## Threshold\n\nKX attests medical necessity above the threshold.\n")
    settings = Settings(index_dir=tmp_path / "index")
    ingest([docs], settings, embedder=embedder)
    shutil.rmtree(settings.index_dir)
    proc = run_cli(["--index-dir", str(settings.index_dir), "ask", "What does KX attest?"], timeout=300)
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2 and "Traceback" not in output
    assert "coding-assistant ingest" in output


def test_chat_without_index_says_what_to_run(tmp_path: Path) -> None:
    proc = run_cli(["--index-dir", str(tmp_path / "none"), "chat", "--port", str(free_port())], timeout=300)
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2 and "Traceback" not in output
    assert "coding-assistant ingest" in output


def test_make_chat_builds_the_index_first() -> None:
    dry = subprocess.run(["make", "-n", "chat"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    steps = [line.split() for line in dry.stdout.splitlines() if "coding-assistant" in line]
    subcommands = [
        next(w for w in step if w in ("ingest", "chat")) for step in steps if {"ingest", "chat"} & set(step)
    ]
    assert subcommands[-2:] == ["ingest", "chat"], dry.stdout


def test_chat_with_chroma_server_down_says_so() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    proc = run_cli(["--chroma-url", url, "chat", "--port", str(free_port())], timeout=300)
    output = (proc.stdout + proc.stderr).decode()
    assert proc.returncode == 2 and "Traceback" not in output
    assert url in output and "chroma run" in output


def test_server_back_without_the_collection_says_to_ingest(
    server: ChromaServer, served_settings: Settings, embedder: Any, tmp_path: Path
) -> None:
    bot = assistant_for(served_settings, embedder)
    assert not bot.ask(QUESTION).abstained
    server.kill()
    server.path = tmp_path / "empty-chroma-data"  # restarted on an empty data folder (wrong --path)
    server.start()
    try:
        message = within(60, lambda: bot.ask(QUESTION)).answer
    except (IndexMissingError, StoreUnavailableError) as err:
        message = str(err)
    assert "coding-assistant ingest" in message, f"not an ingest hint: {message}"
