"""Cold-start timings of real processes: ``coding-assistant ask`` to its first answer, ``chat`` to HTTP 200.

Each runs as a fresh subprocess against a given index, with logs in a scratch folder, offline.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

READY_TIMEOUT_S = 180.0


def cli_command() -> list[str]:
    """The ``coding-assistant`` executable next to this Python (else ``python -m assistant``)."""
    script = Path(sys.executable).with_name("coding-assistant")
    if script.is_file():
        return [str(script)]
    found = shutil.which("coding-assistant")
    return [found] if found else [sys.executable, "-m", "assistant"]


def child_env(index_dir: Path, scratch: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: this one's, minus ASSISTANT_*, pointed at ``index_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        ASSISTANT_INDEX_DIR=str(index_dir),
        ASSISTANT_LOG_DIR=str(scratch / "logs"),
        ASSISTANT_FEEDBACK_DB=str(scratch / "logs" / "feedback.sqlite3"),
    )
    env.update(extra)
    return env


def peak_mb(pid: int) -> float | None:
    """Peak resident memory (MB, VmHWM) of a running process; None where /proc cannot tell.

    Read from /proc because ``RUSAGE_CHILDREN`` would charge a child with its parent's memory (a
    vfork-started child shares the parent's pages until it execs).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    found = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return round(int(found) / 1024, 1) if found else None


def cold_ask_s(index_dir: Path, scratch: Path, question: str) -> tuple[float, float | None]:
    """Seconds from starting ``coding-assistant ask QUESTION`` to the first line of its answer, and the
    process's peak memory (MB) by then."""
    started = time.perf_counter()
    with subprocess.Popen(
        [*cli_command(), "ask", question],
        env=child_env(index_dir, scratch),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        memory = peak_mb(proc.pid)
        _, err = proc.communicate(timeout=READY_TIMEOUT_S)
    if proc.returncode != 0 or not first.strip():
        raise RuntimeError(f"`ask` failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return round(elapsed, 2), memory


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def ui_ready_s(index_dir: Path, scratch: Path) -> tuple[float, float | None]:
    """Seconds from starting ``coding-assistant chat`` to its page answering HTTP 200, and the
    process's peak memory (MB) by then."""
    port = free_port()
    env = child_env(index_dir, scratch, ASSISTANT_HOST="127.0.0.1", ASSISTANT_PORT=str(port))
    log = (scratch / "chat.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*cli_command(), "chat"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        while time.perf_counter() - started < READY_TIMEOUT_S:
            if proc.poll() is not None:
                raise RuntimeError(f"`chat` exited with {proc.returncode}; see {scratch / 'chat.log'}")
            if _answers(f"http://127.0.0.1:{port}/"):
                return round(time.perf_counter() - started, 2), peak_mb(proc.pid)
            time.sleep(0.1)
        raise RuntimeError(f"`chat` not ready after {READY_TIMEOUT_S:.0f} s; see {scratch / 'chat.log'}")
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
