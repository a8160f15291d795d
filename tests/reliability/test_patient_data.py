"""Patient identifiers pasted into questions never reach the audit log, the feedback store or the answer.

ASSISTANT_LOG_DIR and ASSISTANT_FEEDBACK_DB point into this test's temp dir (tests/conftest.py); every
file written there is read as raw bytes (SQLite pages and journals included).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings

from .load_clients import connect
from .procs import ChatServer, run_cli

pytestmark = pytest.mark.integration

QUESTIONS = [
    "Pt Maria Gonzalez-Whitfield DOB 03/14/1962, SSN 123-45-6789, MRN 00482913, phone (312) 555-0142: "
    "24 min neuro re-ed and 23 ther ex, Medicare - how do I bill?",
    "patient name: Robert Okonkwo, born on July 4, 1958, member id W88213457, call back 312.555.0199 - "
    "does 97112 need the GP modifier?",
    "Mr. Desmond Achterberg (DOB 1/2/1950) MRN# A1234567 SS# 987654321 ph 3125550177 - "
    "units for 38 min of 97112?",
]
# The same questions with the identifiers taken out: the answers must not differ.
PLAIN = [
    "24 min neuro re-ed and 23 ther ex, Medicare - how do I bill?",
    "does 97112 need the GP modifier?",
    "units for 38 min of 97112?",
]
IDENTIFIERS = [
    "Gonzalez", "Whitfield", "Maria", "03/14/1962", "123-45-6789", "00482913", "555-0142",
    "Okonkwo", "July 4, 1958", "W88213457", "555.0199",
    "Achterberg", "Desmond", "1/2/1950", "A1234567", "987654321", "3125550177",
]  # fmt: skip
CORRECTION = "Wrong for Maria Gonzalez-Whitfield (MRN 00482913, SSN 123-45-6789): bill 2 units of 97112."


def leaks(folder: Path) -> dict[str, list[str]]:
    """file → identifiers found in its bytes, for every file under ``folder``."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits = [i for i in IDENTIFIERS if i.encode() in data or i.encode("utf-16-le") in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def assert_not_echoed(answer: dict[str, Any]) -> None:
    text = json.dumps(answer, ensure_ascii=False)
    assert [i for i in IDENTIFIERS if i in text] == [], "the answer echoes an identifier"


def test_api_and_chat_feedback_keep_identifiers_out(
    tmp_path: Path, kb_index_dir: Path, embedder: Any
) -> None:
    from assistant.feedback import FeedbackStore, export_jsonl
    from assistant.service import Assistant
    from ui.chat import ChatController

    logs = tmp_path / "logs"
    settings = Settings(index_dir=kb_index_dir)  # log_dir / feedback_db come from the environment
    assert settings.log_dir == logs and settings.feedback_db.parent == logs
    bot = Assistant.from_settings(settings, embedder=embedder)
    chat = ChatController(bot, settings, FeedbackStore(settings.feedback_db))
    messages: list[Any] = []
    turns: list[Any] = []
    for question in QUESTIONS:
        assert_not_echoed(bot.ask(question).model_dump(mode="json"))
        *_, (messages, turns, _) = chat.respond(question, messages, turns)
        assert_not_echoed(turns[-1]["answer"])
        row, _ = chat.rate(turns[-1]["first"], False, turns)
        chat.correct(CORRECTION, row)

    audit = logs / "audit.jsonl"
    assert len(audit.read_text(encoding="utf-8").splitlines()) == 2 * len(QUESTIONS), (
        "the audit log is written"
    )
    assert len(FeedbackStore(settings.feedback_db).rows()) == len(QUESTIONS), "the feedback is stored"
    assert export_jsonl(FeedbackStore(settings.feedback_db), logs / "feedback-export.jsonl") == len(QUESTIONS)
    assert leaks(logs) == {}


@pytest.mark.parametrize(("question", "plain"), list(zip(QUESTIONS, PLAIN, strict=True)))
def test_identifiers_do_not_change_the_answer(kb_assistant: Any, question: str, plain: str) -> None:
    with_ids, without = kb_assistant.ask(question), kb_assistant.ask(plain)
    assert with_ids.tool_calls == without.tool_calls
    assert with_ids.abstained == without.abstained


@pytest.mark.slow
def test_cli_keeps_identifiers_out(tmp_path: Path, served_index: Path) -> None:
    logs = tmp_path / "logs"
    for question in QUESTIONS:
        proc = run_cli(["--index-dir", str(served_index), "ask", question, "--json"])
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        assert_not_echoed(json.loads(proc.stdout))
        for ident in IDENTIFIERS:
            assert ident.encode() not in proc.stderr, "nothing is logged to the terminal either"
    assert len((logs / "audit.jsonl").read_text(encoding="utf-8").splitlines()) == len(QUESTIONS)
    assert leaks(logs) == {}


@pytest.mark.slow
def test_live_ui_keeps_identifiers_out(chat_server: ChatServer) -> None:
    client = connect(chat_server.url)
    for question in QUESTIONS:
        assert_not_echoed(client.predict(question, [], api_name="/ask"))
    log_dir = Path(chat_server.env["ASSISTANT_LOG_DIR"])
    assert (log_dir / "audit.jsonl").is_file()
    assert leaks(log_dir) == {}
    assert [i for i in IDENTIFIERS if i in chat_server.log.read_text(errors="replace")] == []
