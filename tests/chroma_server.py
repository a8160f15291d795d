"""A real `chroma run` server on 127.0.0.1 for server-mode tests (started once per session).

Import the fixture in a conftest: ``from chroma_server import chroma_server_url  # noqa: F401``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMA_BIN = Path(sys.executable).parent / "chroma"
STARTUP_WAIT_S = 90.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_heartbeat(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_WAIT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"chroma run did not answer within {STARTUP_WAIT_S:.0f} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def chroma_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a `chroma run --path DIR --host 127.0.0.1 --port N` server, stopped after the session."""
    if not CHROMA_BIN.exists():
        pytest.fail(f"{CHROMA_BIN} is missing: the chromadb package provides it")
    data = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = data / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(CHROMA_BIN), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_heartbeat(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
