"""`coding-assistant feedback export` output is accepted as an eval dataset (draft cases)."""

from __future__ import annotations

from pathlib import Path

from assistant.feedback import FeedbackStore, export_jsonl
from eval.dataset import load_dataset
from eval.metrics import Prediction, score_case

UNITS_ANSWER = {
    "answer": "Bill 3 units: 97112 x 2 and 97110 x 1.",
    "citations": [
        {"doc_id": "eight-minute-rule", "title": "t", "section": "s", "source": "x", "snippet": "y"}
    ],
    "tool_calls": [
        {"name": "units", "args": {}, "result": {"total_units": 3, "units_by_code": {"97112": 2, "97110": 1}}}
    ],
}


def test_exported_feedback_loads_and_scores(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add("24 min NMR + 23 min ther ex?", UNITS_ANSWER, rating=1)
    store.add(
        "and UHC?",
        {"answer": "wrong", "citations": [], "tool_calls": []},
        rating=-1,
        history=[{"role": "user", "content": "Aetna 97112?"}, {"role": "assistant", "content": "$34.50"}],
        correction="UHC is $36.10",
    )
    out = tmp_path / "drafts.jsonl"
    assert export_jsonl(store, out) == 2

    up, down = load_dataset(out)
    assert up.draft and down.draft
    assert up.expected.tool is not None and up.expected.tool.name == "units"
    assert down.category == "followup" and len(down.history) == 2 and "36.10" in down.notes
    assert score_case(up, Prediction.from_answer(UNITS_ANSWER, 1.0)).tool_match is True
