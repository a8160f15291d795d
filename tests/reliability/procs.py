"""Real processes for the reliability tests: the CLI, a Chroma server and the chat UI, on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from assistant.config import REPO_ROOT

from .load_clients import connect as ask_client  # the UI and eval tests call the live UI with it

__all__ = [
    "BOOT_TIMEOUT_S",
    "ChatServer",
    "ChromaServer",
    "ask_client",
    "child_env",
    "free_port",
    "run_cli",
    "stop",
]

BOOT_TIMEOUT_S = 240.0  # a cold model load on a busy 2-core CI box


def cli_command() -> list[str]:
    """The installed `coding-assistant` next to this interpreter, else `python -m assistant`."""
    script = Path(sys.executable).parent / "coding-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def child_env(**overrides: str) -> dict[str, str]:
    """This process's environment (already isolated by tests/conftest.py), offline, plus overrides."""
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def run_cli(
    args: Sequence[str | bytes],
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = 300.0,
) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI to completion; a hang fails the test through ``timeout`` (no timed assertion)."""
    return subprocess.run(
        [*cli_command(), *args],
        input=stdin,
        capture_output=True,
        env=dict(env) if env is not None else child_env(),
        cwd=REPO_ROOT,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = BOOT_TIMEOUT_S) -> None:
    """Poll ``url`` until it answers (any status below 500); fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process we started (by its pid only) and reap it."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


class ChromaServer:
    """`chroma run --path DIR --host 127.0.0.1 --port N`, started, killed and restarted by tests."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChromaServer:
        chroma = Path(sys.executable).parent / "chroma"
        self.proc = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=child_env(),
        )
        wait_http(f"{self.url}/api/v2/heartbeat", self.proc, timeout=60)
        return self

    def kill(self) -> None:
        if self.proc is not None:
            stop(self.proc, signal.SIGKILL)


class ChatServer:
    """`coding-assistant chat --port P` over a given index, as a real server process."""

    def __init__(self, index_dir: Path, env: Mapping[str, str], extra_args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.index_dir = index_dir
        self.env = dict(env)
        self.log = index_dir.parent / f"chat-{self.port}.log"
        args = [*cli_command(), "--index-dir", str(index_dir), "chat", "--port", str(self.port), *extra_args]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, env=dict(env), cwd=REPO_ROOT
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def wait(self) -> ChatServer:
        try:
            wait_http(self.url, self.proc)
        except (RuntimeError, TimeoutError) as err:
            stop(self.proc)
            raise RuntimeError(f"{err}\n{self.log.read_text(errors='replace')[-3000:]}") from err
        return self

    def close(self) -> None:
        stop(self.proc)
