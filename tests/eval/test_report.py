"""Reports from scripted systems: report.json keys, the gap sentences in report.md, a real PNG, the gate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval.dataset import EvalCase
from eval.metrics import Prediction, load_thresholds, violations
from eval.report import build_report, print_scorecard, to_markdown, write_reports
from eval.runner import run_systems

CASES = [
    EvalCase.model_validate(c)
    for c in (
        {
            "id": "r1",
            "question": "Medicare 97112 2026?",
            "category": "rates",
            "expected": {
                "facts": [r"\$32\.73"],
                "tool": {"name": "rate", "result_subset": {"rate": "32.73"}},
                "sources": ["medicare-payment-formula"],
            },
        },
        {
            "id": "c1",
            "question": "What is 97112?",
            "category": "concepts",
            "expected": {"facts": ["neuromuscular"], "sources": ["cpt-97112-overview"]},
        },
        {"id": "o1", "question": "Weather?", "category": "out_of_scope", "expected": {"abstain": True}},
    )
]


@dataclass
class Scripted:
    """A system answering from a fixed table (case id → Prediction)."""

    name: str
    table: dict[str, Prediction]

    def predict(self, case: EvalCase) -> Prediction:
        return self.table[case.id]


OURS = Scripted(
    "ours",
    {
        "r1": Prediction(
            "Medicare pays $32.73.",
            ["medicare-payment-formula"],
            ["medicare-payment-formula"],
            [{"name": "rate", "args": {}, "result": {"rate": "32.73"}}],
        ),
        "c1": Prediction(
            "97112 is neuromuscular re-education.", ["cpt-97112-overview"], ["cpt-97112-overview"]
        ),
        "o1": Prediction("The guidance I have does not cover that.", abstained=True),
    },
)
BM25 = Scripted(
    "bm25",
    {
        "r1": Prediction(
            "RVU table ...", ["cpt-97112-overview", "medicare-payment-formula"], ["cpt-97112-overview"]
        ),
        "c1": Prediction(
            "97112 is neuromuscular re-education.", ["cpt-97112-overview"], ["cpt-97112-overview"]
        ),
        "o1": Prediction("Some passage."),
    },
)


@pytest.fixture
def report() -> dict:
    runs = run_systems(CASES, [OURS, BM25], progress=False)
    return build_report(
        CASES, runs, "cases.jsonl", "in-process", thresholds={"accuracy": 0.9}, targets={"hit@1": 1.0}
    )


def test_report_json_holds_every_metric_for_every_system(report: dict, tmp_path: Path) -> None:
    paths = write_reports(report, tmp_path / "out")
    assert [p.name for p in paths] == ["report.json", "report.md", "accuracy_by_category.png"]
    data = json.loads(paths[0].read_text())
    assert data["n_questions"] == 3
    assert data["categories"] == {"concepts": 1, "out_of_scope": 1, "rates": 1}
    ours, bm25 = data["systems"]["ours"]["overall"], data["systems"]["bm25"]["overall"]
    for key in (
        "accuracy",
        "tool_exact_match",
        "hit@1",
        "hit@3",
        "hit@5",
        "mrr",
        "citation_precision",
        "abstention_precision",
        "abstention_recall",
        "latency_p50_ms",
        "latency_p95_ms",
    ):
        assert key in ours and key in bm25
    assert ours["accuracy"] == 1.0 and ours["tool_exact_match"] == 1.0 and ours["abstention_recall"] == 1.0
    assert bm25["accuracy"] == pytest.approx(1 / 3) and bm25["tool_exact_match"] == 0.0
    assert bm25["hit@1"] == 0.5 and bm25["mrr"] == 0.75 and bm25["abstention_precision"] is None
    assert data["gaps"]["bm25"]["accuracy"] == pytest.approx(0.6667)
    assert data["gate"] == {"thresholds": {"accuracy": 0.9}, "passed": True, "violations": []}
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths[2].stat().st_size > 10_000


def test_markdown_states_the_gap_and_lists_failures(report: dict) -> None:
    md = to_markdown(report, chart_name="accuracy_by_category.png")
    assert "| answer accuracy | 1.000 | 0.333 |" in md
    assert "answers 100.0% of questions correctly versus 33.3% (+66.7 points)" in md
    assert "![accuracy per category](accuracy_by_category.png)" in md
    assert "## Cases with a problem (0)" in md  # the failures listed are the assistant's
    assert "Acceptance targets (hit@1 >= 1): all met." in md
    assert "| rates | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | n/a |" in md  # the assistant per category


def test_failures_name_the_case_and_reason() -> None:
    broken = Scripted("ours", {**OURS.table, "r1": Prediction("Medicare pays $999.", abstained=False)})
    runs = run_systems(CASES, [broken], progress=False)
    report = build_report(CASES, runs, dataset="d", mode="m", thresholds={"accuracy": 0.9, "hit@3": 1.0})
    (failure,) = report["failures"]
    assert "- `r1` (rates) “Medicare 97112 2026?”: missing fact" in to_markdown(report)
    assert failure["id"] == "r1" and not failure["correct"]
    assert r"missing fact /\$32\.73/" in failure["reasons"]
    assert "tool rate did not run (ran: none)" in failure["reasons"]
    assert report["gate"]["passed"] is False
    assert report["gate"]["violations"] == ["accuracy 0.667 < 0.900", "hit@3 0.500 < 1.000"]


def test_scorecard_prints_systems_and_gate(report: dict) -> None:
    from rich.console import Console

    console = Console(record=True, width=140)
    print_scorecard(report, console)
    text = console.export_text()
    assert "answer accuracy" in text and "bm25" in text and "gate: passed" in text


def test_shipped_thresholds_hold_the_issue_targets_and_a_gate() -> None:
    targets = load_thresholds(block="target")
    assert targets == {"accuracy": 0.95, "tool_exact_match": 1.0, "hit@3": 0.95, "abstention_recall": 0.9}
    minimums = load_thresholds()
    assert set(targets) <= set(minimums) and all(0 < v <= 1 for v in minimums.values())
    assert violations({"accuracy": None}, {"accuracy": 0.5}) == ["accuracy not measured (minimum 0.500)"]
