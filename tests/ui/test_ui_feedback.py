"""Feedback store (redaction, corrections) and its export as draft eval cases."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from assistant.feedback import FeedbackStore, FeedbackStoreError, export_jsonl
from eval.dataset import load_dataset

PHI_QUESTION = "Pt John Smith DOB 03/04/1950, MRN 884213: 24 min 97112 + 23 min 97110, how many units?"
UNITS_ANSWER = {
    "answer": "Bill 97112 × 2 and 97110 × 1 (3 units) for John Smith DOB 03/04/1950.",
    "citations": [
        {
            "doc_id": "eight-minute-rule",
            "title": "The CMS 8-minute rule",
            "section": "CMS example 1",
            "source": "CMS Pub. 100-04",
            "snippet": "47 total timed minutes = 3 units",
            "score": 0.8,
        }
    ],
    "tool_calls": [
        {
            "name": "units",
            "args": {"minutes": {"97112": 24, "97110": 23}, "method": "cms"},
            "result": {
                "method": "cms",
                "total_timed_minutes": 47,
                "total_units": 3,
                "units_by_code": {"97112": 2, "97110": 1},
                "steps": ["47 min is in the 38–52 minute row → 3 units"],
            },
        }
    ],
}


def test_stored_rows_are_redacted_and_complete(tmp_path: Path) -> None:
    db = tmp_path / "fb.sqlite3"
    store = FeedbackStore(db)
    row = store.add(PHI_QUESTION, UNITS_ANSWER, rating=-1)
    store.set_correction(row, "Correct for MRN 884213: 97112 x2, 97110 x1")

    (saved,) = store.rows()
    assert saved.rating == -1
    assert "884213" not in saved.question and "John Smith" not in saved.question
    assert "97112" in saved.question and "24 min" in saved.question  # billing content survives
    assert "John Smith" not in saved.answer and "03/04/1950" not in saved.answer
    assert "884213" not in saved.correction and "97110 x1" in saved.correction
    assert saved.citations[0]["doc_id"] == "eight-minute-rule"
    assert saved.tool_calls[0]["result"]["units_by_code"] == {"97112": 2, "97110": 1}
    assert saved.created_at  # time is stored

    raw = b"".join(
        str(v).encode() for r in sqlite3.connect(db).execute("SELECT * FROM feedback").fetchall() for v in r
    )
    assert b"884213" not in raw and b"John Smith" not in raw and b"03/04/1950" not in raw


def test_export_lines_are_valid_eval_cases(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    up = store.add(PHI_QUESTION, UNITS_ANSWER, rating=1)
    down = store.add("Does Aetna need prior auth for 97112?", {"answer": "No.", "citations": []}, rating=-1)
    store.set_correction(down, "The payer page says to check prior authorization with Aetna.")
    follow = store.add(
        "and in 2025?",
        {"answer": "...", "tool_calls": []},
        rating=-1,
        history=[{"role": "user", "content": "What does Medicare pay for 97112?"}],
    )

    out = tmp_path / "drafts.jsonl"
    assert export_jsonl(store, out) == 3
    cases = {c.id: c for c in load_dataset(out)}  # the eval harness's own loader accepts every line

    first = cases[f"feedback-{up}"]
    assert first.draft is True and first.category == "units"
    assert first.expected.tool is not None and first.expected.tool.name == "units"
    assert first.expected.tool.result_subset["units_by_code"] == {"97112": 2, "97110": 1}
    assert first.expected.sources == ["eight-minute-rule"]
    assert "884213" not in first.question

    second = cases[f"feedback-{down}"]
    assert second.expected.tool is None and second.expected.sources == []  # a wrong answer is not trusted
    assert second.notes.startswith("The payer page says")
    assert second.category == "concepts"

    third = cases[f"feedback-{follow}"]
    assert third.category == "followup" and third.history_dicts()[0]["role"] == "user"

    raw = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["rating"] for r in raw} == {"up", "down"}


def test_unusable_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(FeedbackStoreError, match="ASSISTANT_FEEDBACK_DB"):
        FeedbackStore(blocker / "fb.sqlite3")
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not an SQLite database\x00" * 100)
    with pytest.raises(FeedbackStoreError, match=str(corrupt)):
        FeedbackStore(corrupt)
