"""An ingest killed with SIGKILL half-way: the old index still answers, a re-run converges, no duplicates."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.config import REPO_ROOT, Settings
from assistant.ingest.pipeline import ingest

from .index_probe import assert_consistent, forget_open_clients, records
from .procs import child_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Runs the real CLI in a child process; after the second batch is written to Chroma it drops a marker
# file, so the test knows the run is genuinely half-way when it sends SIGKILL.
CHILD = """
import sys
from pathlib import Path
from chromadb.api.models.Collection import Collection

marker = Path(sys.argv.pop(1))
upsert = Collection.upsert
calls = []

def counting_upsert(self, *args, **kwargs):
    upsert(self, *args, **kwargs)
    calls.append(1)
    if len(calls) == 2:
        marker.write_text("2 batches written")

Collection.upsert = counting_upsert
from assistant.cli import main
sys.argv[0] = "coding-assistant"
main()
"""

TOPICS = ["balance", "gait", "posture", "proprioception", "coordination", "kinesthetic sense", "stability"]


def write_docs(folder: Path, count: int, offset: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(offset, offset + count):
        topic = TOPICS[n % len(TOPICS)]
        sections = "\n\n".join(
            f"## Part {part} of note {n}\n\n"
            + " ".join(f"Note {n} part {part} line {i}: {topic} work, case {n * 31 + i}." for i in range(12))
            for part in range(3)
        )
        (folder / f"note-{n:03d}.md").write_text(f"# Synthetic note {n} on {topic}\n\n{sections}\n", "utf-8")


def test_sigkill_midway_keeps_the_old_index_and_rerun_converges(
    settings: Settings, embedder: Any, tmp_path: Path
) -> None:
    from assistant.retrieval.hybrid import HybridRetriever

    folder = tmp_path / "docs"
    write_docs(folder, 3)
    (folder / "cq-rule.md").write_text(
        "# CQ modifier\n\n## When CQ applies\n\nCQ marks outpatient PT furnished in part by a PTA.\n",
        "utf-8",
    )
    ingest([folder], settings, embedder=embedder)
    before = set(records(settings))

    write_docs(folder, 40, offset=3)
    marker = tmp_path / "marker"
    env = child_env(ASSISTANT_EMBEDDING_BATCH_SIZE="16")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), "--index-dir", str(settings.index_dir), "ingest", "-q",
         str(folder)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        while not marker.exists() and child.poll() is None:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"ingest ended before the kill: {err.decode()[-2000:]}"
    forget_open_clients()  # from here on this process reads the index like a freshly started one

    held = set(records(settings))
    assert before < held, "the killed run had written part of its chunks"
    retriever = HybridRetriever.from_settings(settings, embedder=embedder)
    hits = retriever.search("which modifier marks PT furnished by a PTA?")
    assert hits.passages and hits.passages[0].doc_id == "cq-rule", "the previous index still answers"

    summary = ingest([folder], settings, embedder=embedder)
    assert summary.skipped == [] and summary.documents == 44
    assert summary.unchanged >= len(held), "chunks written before the kill are not embedded again"
    assert_consistent(settings)

    clean = Settings(index_dir=tmp_path / "clean-index")
    ingest([folder], clean, embedder=embedder)
    assert set(records(settings)) == set(records(clean)), "same chunks as a clean build"
