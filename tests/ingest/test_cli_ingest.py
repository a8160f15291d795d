"""`coding-assistant --index-dir DIR ingest FOLDER` as a real subprocess, then retrieval over the result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from chroma_server import free_port

from assistant.config import Settings
from assistant.retrieval.embeddings import Embedder
from assistant.retrieval.hybrid import HybridRetriever

from .samples import QUESTIONS, write_samples

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CLI = str(Path(sys.executable).parent / "coding-assistant")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_cli_ingests_a_folder_of_every_type(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "docs"
    write_samples(folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    index = tmp_path / "index"

    first = run_cli("--index-dir", str(index), "ingest", str(folder))
    assert first.returncode == 0, first.stderr
    assert "documents 4, chunks 5, added 5, updated 0, removed 0, skipped 1" in first.stdout
    assert f"skipped {folder / 'broken.pdf'}: not a readable PDF" in first.stderr

    second = run_cli("--index-dir", str(index), "ingest", "--quiet", str(folder))
    assert second.returncode == 0, second.stderr
    assert "documents 4, chunks 5, added 0, updated 0, removed 0, skipped 1" in second.stdout

    retriever = HybridRetriever.from_settings(Settings(index_dir=index), embedder)
    assert retriever.chunk_count() == 5
    for question, doc_id in QUESTIONS:
        assert retriever.search(question, k=3).passages[0].doc_id == doc_id, question

    reset = run_cli("--index-dir", str(index), "ingest", "--reset", "-q", str(folder / "seating.md"))
    assert reset.returncode == 0, reset.stderr
    assert "documents 1, chunks 2, added 2" in reset.stdout
    assert HybridRetriever.from_settings(Settings(index_dir=index), embedder).chunk_count() == 2


def test_cli_reports_user_errors_with_exit_code_2(tmp_path: Path) -> None:
    missing = run_cli("--index-dir", str(tmp_path / "index"), "ingest", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "error: No such file or folder" in missing.stderr

    write_samples(tmp_path / "docs")
    url = f"http://127.0.0.1:{free_port()}"
    down = run_cli(
        "--index-dir", str(tmp_path / "index"), "--chroma-url", url, "ingest", str(tmp_path / "docs")
    )
    assert down.returncode == 2
    assert f"error: Cannot reach the Chroma server at {url}" in down.stderr
    assert "Traceback" not in down.stderr


def test_a_serving_retriever_sees_an_ingest_run_by_another_process(
    tmp_path: Path, embedder: Embedder
) -> None:
    files = write_samples(tmp_path / "docs")
    pdf_bytes = files["pdf"].read_bytes()
    files["pdf"].unlink()
    index = tmp_path / "index"
    assert run_cli("--index-dir", str(index), "ingest", "-q", str(tmp_path / "docs")).returncode == 0
    retriever = HybridRetriever.from_settings(Settings(index_dir=index), embedder)
    question, doc_id = QUESTIONS[3]
    before = retriever.search(question)
    assert doc_id not in {p.doc_id for p in before.passages}

    files["pdf"].write_bytes(pdf_bytes)
    assert run_cli("--index-dir", str(index), "ingest", "-q", str(tmp_path / "docs")).returncode == 0
    after = retriever.search(question)  # same object: it notices the new index and re-reads it
    assert after.passages[0].doc_id == doc_id and after.found
    assert retriever.dense_search(question, 1)[0].doc_id == doc_id
    assert retriever.chunk_count() == 5
