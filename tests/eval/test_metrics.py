"""Metrics on hand-made Answers: accuracy, tool subset, retrieval ranks, citations, abstention, latency."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer, Citation, ToolCall
from eval.dataset import EvalCase
from eval.metrics import Prediction, aggregate, percentile, score_case, subset_mismatch, summarize


def _case(category: str = "rates", **expected: Any) -> EvalCase:
    return EvalCase.model_validate({"id": "c", "question": "q", "category": category, "expected": expected})


def _cite(doc_id: str) -> Citation:
    return Citation(doc_id=doc_id, title="t", section="s", source="src", snippet="x", score=0.5)


def _pred(answer: Answer, latency: float = 10.0) -> Prediction:
    return Prediction.from_answer(answer.model_dump(mode="json"), latency)


RATE_ANSWER = Answer(
    answer="Medicare pays $32.73 for one unit of 97112 in 2026 (national).",
    citations=[
        _cite("medicare-payment-formula"),
        _cite("cpt-97112-overview"),
        _cite("medicare-payment-formula"),
    ],
    tool_calls=[
        ToolCall(name="rate", args={"code": "97112"}, result={"code": "97112", "year": 2026, "rate": "32.73"})
    ],
)


def test_correct_answer_scores_every_metric() -> None:
    case = _case(
        facts=[r"\$32\.73"],
        any_of=[["national", "locality"]],
        forbidden=[r"\$999"],
        tool={"name": "rate", "result_subset": {"rate": 32.73, "year": 2026}},
        sources=["medicare-payment-formula"],
    )
    score = score_case(case, _pred(RATE_ANSWER))
    assert score.correct and score.reasons == []
    assert score.tool_match is True
    assert score.hits == {1: True, 3: True, 5: True} and score.reciprocal_rank == 1.0
    assert score.citation_precision == 0.5  # two distinct docs cited, one expected


@pytest.mark.parametrize(
    ("expected", "reason"),
    [
        ({"facts": [r"\$32\.02"]}, r"missing fact /\$32\.02/"),
        ({"any_of": [["Chicago", "Illinois"]]}, "none of /Chicago | Illinois/"),
        ({"forbidden": ["97112"]}, "forbidden /97112/ present"),
        ({"abstain": True}, "should have abstained"),
    ],
)
def test_each_text_rule_can_fail_the_answer(expected: dict[str, Any], reason: str) -> None:
    score = score_case(_case(**expected), _pred(RATE_ANSWER))
    assert not score.correct
    assert reason in score.reasons


def test_tool_mismatch_and_missing_tool_do_not_change_accuracy() -> None:
    wrong = score_case(_case(tool={"name": "rate", "result_subset": {"rate": "32.02"}}), _pred(RATE_ANSWER))
    assert wrong.correct and wrong.tool_match is False
    assert "tool rate: result.rate: expected 32.02, got 32.73" in wrong.reasons
    missing = score_case(_case(tool={"name": "units", "result_subset": {}}), _pred(RATE_ANSWER))
    assert missing.tool_match is False and "tool units did not run (ran: rate)" in missing.reasons


def test_source_ranks_use_distinct_documents_in_citation_order() -> None:
    score = score_case(_case(sources=["cpt-97112-overview"]), _pred(RATE_ANSWER))
    assert score.hits == {1: False, 3: True, 5: True} and score.reciprocal_rank == 0.5
    missed = score_case(_case(sources=["eight-minute-rule"]), _pred(RATE_ANSWER))
    assert missed.hits == {1: False, 3: False, 5: False} and missed.reciprocal_rank == 0.0
    assert missed.citation_precision == 0.0 and missed.correct  # retrieval misses are reported, not graded


def test_subset_is_recursive_over_dicts_and_lists() -> None:
    result = {
        "findings": [
            {"codes": ["97140", "97530"], "modifier": "59/X", "required": True, "reason": "pair"},
            {"codes": ["97140", "97530"], "modifier": "GP", "required": True},
        ],
        "units_by_code": {"97112": 2, "97110": 1},
        "payer": "Medicare",
    }
    assert (
        subset_mismatch({"findings": [{"modifier": "GP"}, {"codes": ["97530"], "required": True}]}, result)
        is None
    )
    assert subset_mismatch({"payer": "medicare", "units_by_code": {"97112": "2"}}, result) is None
    assert (
        subset_mismatch({"units_by_code": {"97110": 2}}, result)
        == "result.units_by_code.97110: expected 2, got 1"
    )
    assert subset_mismatch({"findings": [{"modifier": "KX"}]}, result) == (
        "result.findings[0]: no item matches {'modifier': 'KX'}"
    )
    assert subset_mismatch({"missing": 1}, result) == "result.missing: missing"
    assert subset_mismatch({"findings": [{"required": False, "modifier": "59/X"}]}, result) is not None
    assert subset_mismatch({"payer": {"id": "x"}}, result) is not None
    assert subset_mismatch(True, 1) is not None  # booleans are not numbers


def test_abstention_precision_and_recall() -> None:
    oos = _case("out_of_scope", abstain=True)
    answerable = _case("rates", facts=["32"])
    refusal = Prediction(answer="The guidance I have does not cover that.", abstained=True)
    scores = [
        score_case(oos, refusal),  # true positive
        score_case(oos, Prediction(answer="It will rain.")),  # false negative
        score_case(answerable, refusal),  # false positive
        score_case(answerable, _pred(RATE_ANSWER)),  # true negative
    ]
    metrics = aggregate(scores)
    assert metrics["abstention_precision"] == 0.5 and metrics["abstention_recall"] == 0.5
    assert metrics["accuracy"] == 0.5
    assert "abstained but should answer" in scores[2].reasons


def test_aggregate_reports_none_where_no_case_applies_and_per_category() -> None:
    scores = [
        score_case(_case("concepts", facts=["x"]), Prediction(answer="x", latency_ms=float(ms)))
        for ms in (10, 20, 30)
    ]
    metrics = aggregate(scores)
    assert metrics["tool_exact_match"] is None and metrics["hit@3"] is None and metrics["mrr"] is None
    assert metrics["abstention_precision"] is None and metrics["abstention_recall"] is None
    assert metrics["latency_p50_ms"] == 20.0
    summary = summarize([*scores, score_case(_case("rates", facts=["y"]), Prediction(answer="n"))])
    assert summary["per_category"]["concepts"]["accuracy"] == 1.0
    assert summary["per_category"]["rates"]["accuracy"] == 0.0
    assert summary["overall"]["n"] == 4


def test_errors_fail_the_case_and_percentile_interpolates() -> None:
    score = score_case(_case(), Prediction(answer="", error="index missing"))
    assert not score.correct and score.reasons == ["error: index missing"]
    assert percentile([], 50) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0, 1.0], 100) == 5.0
