"""20 parallel clients on the live UI's /ask for 60 s, and an ingest into the index while it serves."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from assistant.config import KNOWLEDGE_BASE, Settings

from .load_clients import QUESTIONS, LoadReport, connect, run_load
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


def extra_folder(tmp_path: Path) -> Path:
    """A folder with one new document, unrelated to billing rules, to ingest beside the knowledge base."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "front-desk-hours.md").write_text(
        "# Front desk hours\n\n## When is the billing office open?\n\n"
        "The billing office front desk is staffed on weekdays; voicemail is checked every morning.\n",
        "utf-8",
    )
    return extra


def test_ingest_in_the_serving_process_keeps_queries_working(
    served_index: Path, tmp_path: Path, embedder: Any
) -> None:
    from assistant.ingest.pipeline import ingest
    from assistant.service import Assistant

    settings = Settings(index_dir=tmp_path / "index")
    shutil.copytree(served_index, settings.index_dir)
    bot = Assistant.from_settings(settings, embedder=embedder)
    expected = {q: bot.ask(q) for q in QUESTIONS}
    stop = threading.Event()
    failures: list[str] = []

    def ask_until_stopped(offset: int) -> None:
        n = offset
        while not stop.is_set():
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            try:
                got = bot.ask(question)
            except Exception as err:
                failures.append(f"{question!r}: {type(err).__name__}: {err}")
                continue
            if (
                got.abstained != expected[question].abstained
                or got.tool_calls != expected[question].tool_calls
            ):
                failures.append(f"{question!r}: answer changed: {got.answer[:200]}")

    with ThreadPoolExecutor(max_workers=3) as pool:
        workers = [pool.submit(ask_until_stopped, i) for i in range(3)]
        summary = ingest([KNOWLEDGE_BASE / "guidance", extra_folder(tmp_path)], settings, embedder=embedder)
        for question in QUESTIONS:  # every question once more after the new index is in place
            assert bot.ask(question).abstained == expected[question].abstained
        stop.set()
        for worker in workers:
            worker.result(timeout=300)
    assert summary.added >= 1 and failures == []
    assert bot.ask("When is the billing office front desk open?").citations[0].doc_id == "front-desk-hours"


def test_ingest_while_serving_keeps_queries_working(private_server: ChatServer, tmp_path: Path) -> None:
    extra = extra_folder(tmp_path)
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


def test_parallel_asks_keep_the_audit_log_whole(kb_index_dir: Path, embedder: Any, tmp_path: Path) -> None:
    from assistant.service import Assistant

    settings = Settings(index_dir=kb_index_dir, log_dir=tmp_path / "logs")
    bot = Assistant.from_settings(settings, embedder=embedder)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: bot.ask(QUESTIONS[n % len(QUESTIONS)]), range(48)))
    assert all(a.answer.strip() for a in answers)
    lines = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 48
    assert all(json.loads(line)["question"] in QUESTIONS for line in lines), "no line is torn or interleaved"


def test_parallel_feedback_writes_all_land(tmp_path: Path) -> None:
    from assistant.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "fb.sqlite3")

    def rate(n: int) -> int:
        row = store.add(f"question {n} about 97112", {"answer": f"answer {n}"}, rating=1 if n % 2 else -1)
        store.set_correction(row, f"correction {n}")
        return row

    with ThreadPoolExecutor(max_workers=20) as pool:
        rows = list(pool.map(rate, range(400)))
    assert len(set(rows)) == 400
    stored = store.rows()
    assert len(stored) == 400 and all(r.correction == f"correction {r.question.split()[1]}" for r in stored)
